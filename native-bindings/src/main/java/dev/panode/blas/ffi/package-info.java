/**
 * FFM bindings to OpenBLAS's CBLAS, in the shape that jextract generates: per C function a holder class with its
 * {@code FunctionDescriptor}, address and {@code MethodHandle}, plus a static wrapper whose Javadoc shows the C prototype.
 * Nothing here checks arguments: use {@link dev.panode.blas.Blas}, which does, before it calls into this package.
 *
 * <p>The symbols are resolved in the library chosen by {@link dev.panode.blas.OpenBlasLoader} (explicit path, system
 * library, bundled jar). When no library was found, touching a holder throws {@link UnsatisfiedLinkError}.
 *
 * <h2>Regenerating</h2>
 * The bindings can be regenerated from OpenBLAS's {@code cblas.h} with jextract 22+ (filtered to the ten symbols used):
 * <pre>{@code
 * jextract --target-package dev.panode.blas.ffi --header-class-name Cblas \
 *     --output native-bindings/src/main/java \
 *     --include-function cblas_dgemm --include-function cblas_sgemm \
 *     --include-function cblas_dgemv --include-function cblas_sgemv \
 *     --include-function cblas_daxpy --include-function cblas_ddot \
 *     --include-function openblas_set_num_threads --include-function openblas_get_num_threads \
 *     --include-function openblas_get_config --include-function openblas_get_corename \
 *     "$OPENBLAS_INCLUDE/cblas.h"
 * }</pre>
 * ({@code OPENBLAS_INCLUDE}: the folder holding OpenBLAS's headers, from Debian's {@code libopenblas-dev} or the
 * {@code include/} folder of the bundled jar), after which two hand edits are re-applied (see {@code docs/NATIVE.md}): the symbol lookup delegates to
 * {@code OpenBlasLoader.symbolLookup()} instead of a hard-coded {@code --library} name, and the handles of the BLAS
 * routines take {@code Linker.Option.critical(true)} so that heap arrays ({@code MemorySegment.ofArray}) reach OpenBLAS
 * with no copy.
 *
 * <p>{@link dev.panode.blas.ffi.FortranLapack} binds LAPACK's LU routines through their Fortran ABI (every argument by
 * reference), for {@link dev.panode.blas.Lapack}; its regeneration command is in its Javadoc.
 *
 * <p>{@link dev.panode.blas.ffi.Libc} binds C's {@code memset} the same way (its regeneration command is in its
 * Javadoc); {@link dev.panode.blas.HeapAlignment} uses it to learn where a Java array lies in memory.
 */
package dev.panode.blas.ffi;
