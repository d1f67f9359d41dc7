package dev.parapet.worker.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeBaseTest {

    @Test
    void readsRolesFromFrontMatter() {
        KnowledgeDocument doc = KnowledgeBase.parse("a.md", "---\nroles: soc.analyst, security.admin\n---\nBody text.\n");

        assertThat(doc.roles()).containsExactly("soc.analyst", "security.admin");
        assertThat(doc.text()).isEqualTo("Body text.");
        assertThat(doc.readableBy(List.of("ai.playground.user", "soc.analyst"))).isTrue();
        assertThat(doc.readableBy(List.of("ai.playground.user"))).isFalse();
    }

    @Test
    void anyVerifiedUserLabelOpensADocumentToEveryone() {
        KnowledgeDocument doc = KnowledgeBase.parse("a.md", "---\nroles: *\n---\nBody.");

        assertThat(doc.readableBy(List.of())).isTrue();
    }

    @Test
    void refusesADocumentWithoutARoleLabel() {
        assertThatThrownBy(() -> KnowledgeBase.parse("secret.md", "Body without front matter"))
                .hasMessageContaining("secret.md").hasMessageContaining("front matter");
        assertThatThrownBy(() -> KnowledgeBase.parse("secret.md", "---\ntitle: x\n---\nBody"))
                .hasMessageContaining("secret.md").hasMessageContaining("no roles");
        assertThatThrownBy(() -> KnowledgeBase.parse("secret.md", "---\nroles: a\nBody"))
                .hasMessageContaining("not closed");
    }

    @Test
    void loadsAFolderAndNamesTheBadFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ok.md"), "---\nroles: *\n---\nFine.");
        Files.writeString(dir.resolve("ignored.bin"), "not a document");
        assertThat(KnowledgeBase.fromFolder(dir)).extracting(KnowledgeDocument::name).containsExactly("ok.md");

        Files.writeString(dir.resolve("unlabelled.txt"), "No label here.");
        assertThatThrownBy(() -> KnowledgeBase.fromFolder(dir)).hasMessageContaining("unlabelled.txt");
    }

    @Test
    void theBuiltInDocumentsAllCarryLabels() {
        assertThat(KnowledgeBase.builtIn()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(d -> assertThat(d.roles()).isNotEmpty());
    }

    @Test
    void splitsAtParagraphsWithinTheSize() {
        KnowledgeDocument doc = new KnowledgeDocument("d", List.of("*"), "a".repeat(60) + "\n\n" + "b".repeat(60) + "\n\n" + "c".repeat(10));

        List<Passage> passages = new PassageSplitter(100).split(doc);

        assertThat(passages).extracting(Passage::text).containsExactly("a".repeat(60), "b".repeat(60) + "\n\n" + "c".repeat(10));
    }
}
