/** Model files: reading and writing panode's JSON model format. */
module dev.panode.io {
    requires transitive dev.panode.adjoint;
    requires transitive com.fasterxml.jackson.databind;
    exports dev.panode.io;
}
