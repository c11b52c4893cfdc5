/** The {@code panode} command. */
module dev.panode.cli {
    requires dev.panode.io;
    requires info.picocli;
    requires jdk.incubator.vector;
    requires org.knowm.xchart;
    requires me.tongfei.progressbar;
    requires java.desktop;
    requires com.fasterxml.jackson.databind;
    requires org.eclipse.jetty.server;
    requires java.logging;
    requires java.management;
    exports dev.panode.cli; // the JSON interface (JsonInterface, ProblemFile, SolverOptions)
    exports dev.panode.cli.serve; // PanodeServer, ServeConfig: the service, embeddable
    opens dev.panode.cli to info.picocli;
}
