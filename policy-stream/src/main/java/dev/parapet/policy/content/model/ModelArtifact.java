package dev.parapet.policy.content.model;

import dev.parapet.events.Sha256;
import dev.parapet.events.codec.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes a model artifact: {@code NAME.json} (the {@link ModelManifest}) beside
 * {@code NAME.bin} (the weights, int8 with one scale per class, as {@link LinearModel} holds them); they are checked against the manifest's SHA-256, format and sizes before use, and
 * anything wrong stops the caller with {@link InvalidModelException}: a service never starts on a
 * model it cannot vouch for, and never without one when one is configured.
 *
 * <p>Weights file: magic {@code PLM1}, then per class a float scale and a float bias, then
 * {@code dimensions × classes} signed bytes, feature-major.
 */
public final class ModelArtifact {

    /** The model the policy stage ships with, on the classpath. */
    public static final String BUILT_IN = "/model/parapet-detector";

    private static final int MAGIC = 0x504c4d31;

    private ModelArtifact() {
    }

    /** A model artifact that is missing, corrupt, or of a format this build does not read. */
    public static final class InvalidModelException extends IllegalStateException {
        public InvalidModelException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A loaded, verified model. */
    public record Loaded(ModelManifest manifest, LinearModel model) {
    }

    public static Loaded builtIn() {
        return load(BUILT_IN, ModelArtifact.class.getResourceAsStream(BUILT_IN + ".json"),
                ModelArtifact.class.getResourceAsStream(BUILT_IN + ".bin"));
    }

    /** Loads {@code base.json} and {@code base.bin}, where {@code base} is a path without extension or either file. */
    public static Loaded fromFile(Path path) {
        String name = path.toString().replaceFirst("\\.(json|bin)$", "");
        Path manifest = Path.of(name + ".json");
        Path weights = Path.of(name + ".bin");
        try (InputStream m = Files.newInputStream(manifest); InputStream w = Files.newInputStream(weights)) {
            return load(name, m, w);
        } catch (IOException e) {
            throw new InvalidModelException("model " + name + ": cannot read " + manifest + " and " + weights + ": " + e.getMessage(), e);
        }
    }

    static Loaded load(String name, InputStream manifestIn, InputStream weightsIn) {
        if (manifestIn == null || weightsIn == null) {
            throw new InvalidModelException("model " + name + " is missing (need " + name + ".json and " + name + ".bin)", null);
        }
        ModelManifest manifest;
        byte[] weights;
        try {
            manifest = Json.mapper().readValue(manifestIn, ModelManifest.class);
            weights = weightsIn.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException("model " + name + ": unreadable manifest or weights: " + e.getMessage(), e);
        }
        if (manifest.format() != ModelManifest.FORMAT) {
            throw new InvalidModelException("model " + name + " has format " + manifest.format() + "; this build reads format "
                    + ModelManifest.FORMAT, null);
        }
        String actual = Sha256.hex(weights);
        if (!actual.equalsIgnoreCase(manifest.sha256())) {
            throw new InvalidModelException("model " + name + ": weights checksum " + actual + " does not match the manifest's "
                    + manifest.sha256() + " (corrupt or replaced file)", null);
        }
        try {
            return new Loaded(manifest, decode(manifest, weights));
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException("model " + name + ": weights do not fit the manifest: " + e.getMessage(), e);
        }
    }

    private static LinearModel decode(ModelManifest manifest, byte[] bytes) throws IOException {
        int classes = manifest.classes().size();
        int dimensions = manifest.features().dimensions();
        long expected = 4L + 8L * classes + (long) dimensions * classes;
        if (bytes.length != expected) {
            throw new IOException("expected " + expected + " bytes, found " + bytes.length);
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a Parapet model weights file");
        }
        float[] scale = new float[classes];
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            scale[c] = in.readFloat();
            bias[c] = in.readFloat();
        }
        byte[] weights = java.util.Arrays.copyOfRange(bytes, 4 + 8 * classes, bytes.length);
        return new LinearModel(manifest.features(), manifest.classes(), weights, scale, bias);
    }

    /** The weights file's bytes for a model. */
    public static byte[] encode(LinearModel model) {
        int classes = model.classes().size();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(model.weights().length + 64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            for (int c = 0; c < classes; c++) {
                out.writeFloat(model.scale()[c]);
                out.writeFloat(model.bias()[c]);
            }
            out.write(model.weights());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code base.json} and {@code base.bin}; the manifest's checksum is set from the weights written. */
    public static void write(Path base, LinearModel model, ModelManifest manifest) {
        byte[] weights = encode(model);
        ModelManifest sealed = manifest.sealed(Sha256.hex(weights));
        try {
            Files.createDirectories(base.toAbsolutePath().getParent());
            Files.write(Path.of(base + ".bin"), weights);
            Files.writeString(Path.of(base + ".json"),
                    Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(sealed) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
