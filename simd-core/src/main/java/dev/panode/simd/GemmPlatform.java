package dev.panode.simd;

import dev.panode.blas.Blas;
import java.util.Locale;
import jdk.incubator.vector.DoubleVector;

/**
 * What the GEMM dispatch rule ({@link GemmThresholds#rule}) looks at: the width of the Java kernel's vectors and the
 * width of the kernels OpenBLAS picked for this CPU. Their ratio decides which backend wins a mid-sized product: a
 * 512-bit Java kernel against OpenBLAS's AVX2 (Haswell) kernels keeps more products than against its AVX-512
 * (SkylakeX) kernels, and a 256-bit Java kernel ({@code -XX:UseAVX=2}, or an AVX2 CPU) gives more away.
 *
 * @param javaVectorBits     the bit size of {@link DoubleVector#SPECIES_PREFERRED} (128, 256 or 512)
 * @param openblasCore       the core name OpenBLAS reports ({@code openblas_get_corename}), "" without OpenBLAS
 * @param openblasVectorBits the register width of that core's GEMM kernels ({@link #kernelBits}), 0 without OpenBLAS
 */
public record GemmPlatform(int javaVectorBits, String openblasCore, int openblasVectorBits) {

    /** Checks the components. */
    public GemmPlatform {
        if (javaVectorBits <= 0) throw new IllegalArgumentException("javaVectorBits must be > 0, got " + javaVectorBits);
        if (openblasCore == null) throw new IllegalArgumentException("openblasCore must be non-null");
        if (openblasVectorBits < 0) {
            throw new IllegalArgumentException("openblasVectorBits must be >= 0, got " + openblasVectorBits);
        }
    }

    /**
     * This JVM on this CPU: the preferred double species and, when OpenBLAS is loaded, its core.
     *
     * @return the platform the dispatcher runs on
     */
    public static GemmPlatform current() {
        int javaBits = DoubleVector.SPECIES_PREFERRED.vectorBitSize();
        if (!Blas.isAvailable()) return new GemmPlatform(javaBits, "", 0);
        String core = Blas.info().coreName();
        return new GemmPlatform(javaBits, core, kernelBits(core));
    }

    /**
     * The register width of the GEMM kernels of an OpenBLAS core (its {@code DYNAMIC_ARCH} target names): 512 for the
     * AVX-512 targets (SkylakeX, Cooperlake, SapphireRapids), 256 for the AVX2/FMA3 targets (Haswell, Zen,
     * Excavator, Steamroller, Piledriver) and for Arm's 256-bit SVE (NeoverseV1), 128 for every other core (SSE,
     * AVX without FMA counted as such, NEON, POWER VSX) and for names it does not know.
     *
     * @return the kernel width in bits for a core name (case-insensitive)
     */
    public static int kernelBits(String core) {
        if (core == null) throw new IllegalArgumentException("core must be non-null");
        return switch (core.strip().toLowerCase(Locale.ROOT)) {
            case "skylakex", "cooperlake", "sapphirerapids" -> 512;
            case "haswell", "zen", "excavator", "steamroller", "piledriver", "neoversev1" -> 256;
            default -> 128;
        };
    }

    /**
     * @return e.g. "512-bit Java vectors, OpenBLAS SkylakeX (512-bit kernels)"
     */
    public String describe() {
        return javaVectorBits + "-bit Java vectors, " + (openblasVectorBits == 0 ? "no OpenBLAS"
                : "OpenBLAS " + openblasCore + " (" + openblasVectorBits + "-bit kernels)");
    }
}
