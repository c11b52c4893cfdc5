/** Model files: panode's JSON model format, the safetensors format, and models imported from and exported to PyTorch. */
module dev.panode.io {
    requires transitive dev.panode.adjoint;
    requires transitive com.fasterxml.jackson.databind;
    exports dev.panode.io;
    exports dev.panode.io.safetensors;
}
