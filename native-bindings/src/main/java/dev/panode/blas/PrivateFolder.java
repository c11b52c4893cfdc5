package dev.panode.blas;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The safety rules for the folder that native code is extracted to: it belongs to the user running the JVM, nobody
 * else can write to it or to the files in it, and nothing in it is a symbolic link. A folder panode creates gets
 * owner-only permissions ({@code rwx------}), each file {@code rw-------}.
 */
final class PrivateFolder {
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final UserPrincipal user;

    private PrivateFolder(UserPrincipal user) {
        this.user = user;
    }

    /** The rules for the user this process runs as (its effective user id, read from {@code /proc/self}). */
    static PrivateFolder forCurrentUser() throws LibraryLoadException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            throw new LibraryLoadException("the file system has no POSIX permissions, so a private folder cannot be guaranteed");
        }
        try {
            Path self = Path.of("/proc/self");
            if (Files.exists(self)) {
                return new PrivateFolder(Files.getOwner(self));
            }
            String name = System.getProperty("user.name");
            return new PrivateFolder(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name));
        } catch (IOException e) {
            throw new LibraryLoadException("cannot tell which user this process runs as: " + e, e);
        }
    }

    UserPrincipal user() {
        return user;
    }

    /**
     * Creates {@code folder} (and missing parents) when absent, the folder itself with owner-only permissions, then
     * checks it with {@link #checkDirectory}.
     */
    void ensureDirectory(Path folder) throws LibraryLoadException {
        try {
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = folder.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                    Files.setPosixFilePermissions(folder, OWNER_ONLY_DIR); // the umask may have narrowed more than asked
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another JVM created it between the test and here: it is checked below like any existing folder
                }
            }
        } catch (IOException e) {
            throw new LibraryLoadException("cannot create the private folder " + folder + ": " + e, e);
        }
        checkDirectory(folder);
    }

    /** Refuses a folder that is a symbolic link, is owned by someone else, or that group or others can write. */
    void checkDirectory(Path folder) throws LibraryLoadException {
        PosixFileAttributes attributes = attributes(folder);
        if (attributes.isSymbolicLink()) {
            throw new LibraryLoadException("refusing folder " + folder + ": it is a symbolic link");
        }
        if (!attributes.isDirectory()) {
            throw new LibraryLoadException("refusing folder " + folder + ": it is not a directory");
        }
        checkOwnerAndWriters(folder, attributes, "folder");
    }

    /** Refuses a file that is not a regular file (a link, a device...), is owned by someone else, or that others can write. */
    void checkFile(Path file) throws LibraryLoadException {
        PosixFileAttributes attributes = attributes(file);
        if (!attributes.isRegularFile()) {
            throw new LibraryLoadException("refusing file " + file + ": it is not a regular file (a link or a device?)");
        }
        checkOwnerAndWriters(file, attributes, "file");
    }

    private void checkOwnerAndWriters(Path path, PosixFileAttributes attributes, String kind) throws LibraryLoadException {
        if (!attributes.owner().equals(user)) {
            throw new LibraryLoadException("refusing " + kind + " " + path + ": it is owned by " + attributes.owner().getName()
                    + ", not by " + user.getName() + " who runs this JVM; delete it or choose another folder with -D"
                    + OpenBlasLoader.CACHE_PROPERTY + "=...");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new LibraryLoadException("refusing " + kind + " " + path + ": others can write to it (permissions "
                    + PosixFilePermissions.toString(permissions) + "); run 'chmod go-w " + path + "' or delete it");
        }
    }

    private static PosixFileAttributes attributes(Path path) throws LibraryLoadException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new LibraryLoadException(path + " does not exist", e);
        } catch (IOException e) {
            throw new LibraryLoadException("cannot read the attributes of " + path + ": " + e, e);
        }
    }
}
