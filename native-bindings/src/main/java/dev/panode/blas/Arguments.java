package dev.panode.blas;

import java.util.List;

/**
 * The null check of panode's public edges, in the lowest module so that every module makes it the same way: a null
 * argument is an {@link IllegalArgumentException} reading {@code "NAME must be non-null"}, the exception type of every
 * other bad argument (where {@link java.util.Objects#requireNonNull(Object, String)} would throw a
 * {@link NullPointerException}). For the project's own modules; a user has no need of it.
 */
public final class Arguments {
    private Arguments() {}

    /**
     * Returns {@code value} when it is non-null.
     *
     * @param value the argument
     * @param name  the argument's name, as the caller's signature spells it
     * @param <T>   the argument's type
     * @return {@code value}
     * @throws IllegalArgumentException {@code "NAME must be non-null"} when {@code value} is null
     */
    public static <T> T nonNull(T value, String name) {
        if (value == null) throw new IllegalArgumentException(name + " must be non-null");
        return value;
    }

    /**
     * An unmodifiable copy of {@code list} when it and every element are non-null ({@link List#copyOf} would throw a
     * {@link NullPointerException} for a null element).
     *
     * @param list the argument
     * @param name the argument's name
     * @param <T>  the element type
     * @return {@code List.copyOf(list)}
     * @throws IllegalArgumentException {@code "NAME must be non-null"} or {@code "NAME[i] must be non-null"}
     */
    public static <T> List<T> nonNullCopy(List<T> list, String name) {
        nonNull(list, name);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) throw new IllegalArgumentException(name + "[" + i + "] must be non-null");
        }
        return List.copyOf(list);
    }
}
