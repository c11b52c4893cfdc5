/** The {@code panode} command. */
module dev.panode.cli {
    requires dev.panode.adjoint;
    requires dev.panode.bench;
    requires info.picocli;
    requires jdk.incubator.vector;
    requires org.knowm.xchart;
    requires me.tongfei.progressbar;
    requires java.desktop;
    requires com.fasterxml.jackson.databind;
    requires org.eclipse.jetty.server;
    requires java.logging;
    requires jdk.management; // panode bench serve: the process's CPU time
    opens dev.panode.cli to info.picocli;
}
