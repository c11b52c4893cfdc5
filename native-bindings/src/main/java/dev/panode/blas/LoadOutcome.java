package dev.panode.blas;

import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * The loader's result: the library's symbols (an empty lookup when none), where it came from, and the log line.
 */
record LoadOutcome(LibrarySource source, String location, SymbolLookup symbols, String config, String coreName, String message) {
    static final SymbolLookup NOTHING = name -> Optional.empty();

    static LoadOutcome none(String message) {
        return new LoadOutcome(LibrarySource.NONE, "", NOTHING, "", "", message);
    }

    /** The same outcome with {@code note} appended to its message (e.g. a cached file that was replaced). */
    LoadOutcome withNote(String note) {
        return new LoadOutcome(source, location, symbols, config, coreName, message + " (" + note + ")");
    }

    boolean loaded() {
        return source != LibrarySource.NONE;
    }
}
