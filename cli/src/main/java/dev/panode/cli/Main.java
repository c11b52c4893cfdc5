package dev.panode.cli;

/** Entry point of the {@code panode} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("panode");
    }
}
