package dev.parapet.policy.content;

import dev.parapet.policy.content.model.LearnedDetector;
import dev.parapet.policy.content.model.ModelArtifact;
import java.nio.file.Path;
import java.util.Optional;

/** Builds the layered content check from a model artifact and a rule pack, each the built-in one unless a file is given. */
public final class ContentChecks {

    private ContentChecks() {
    }

    /**
     * @throws ModelArtifact.InvalidModelException when the model is missing, corrupt or of an unknown format
     * @throws IllegalArgumentException when the rule pack is invalid
     */
    public static LayeredContentCheck layered(Optional<Path> modelFile, Optional<Path> rulesFile) {
        RulePack pack = rulesFile.map(RulePacks::fromFile).orElseGet(RulePacks::builtIn);
        ModelArtifact.Loaded model = modelFile.map(ModelArtifact::fromFile).orElseGet(ModelArtifact::builtIn);
        return new LayeredContentCheck(new ContentScanner(pack), LearnedDetector.of(model));
    }
}
