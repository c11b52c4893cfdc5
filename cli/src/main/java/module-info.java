/** The {@code panode} command. */
module dev.panode.cli {
    requires dev.panode.io;
    requires info.picocli;
    requires jdk.incubator.vector;
    requires org.knowm.xchart;
    requires me.tongfei.progressbar;
    requires java.desktop;
    requires com.fasterxml.jackson.databind;
    opens dev.panode.cli to info.picocli;
}
