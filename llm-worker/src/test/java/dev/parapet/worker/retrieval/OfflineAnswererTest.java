package dev.parapet.worker.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.worker.app.ProviderFactory;
import dev.parapet.worker.llm.LlmAnswer;
import dev.parapet.worker.llm.LlmRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Secure RAG with the real in-process ONNX embedding model: retrieval never crosses roles. */
class OfflineAnswererTest {

    static final String RESTRICTED_MARKER = "vault-rotation-code-7731";
    static OfflineAnswerer answerer;

    @BeforeAll
    static void build() {
        answerer = ProviderFactory.offline(List.of(
                new KnowledgeDocument("public.md", List.of("*"),
                        "Our office opens at nine in the morning and closes at six in the evening.\n\n"
                                + "The cafeteria serves lunch between noon and two."),
                new KnowledgeDocument("restricted.md", List.of("security.admin"),
                        "To rotate the database master password, open the vault and use the rotation code " + RESTRICTED_MARKER
                                + ". Only administrators may rotate the master password."),
                new KnowledgeDocument("analysts.md", List.of("soc.analyst"),
                        "Analysts triage alerts in the SOC queue every morning.")));
    }

    static LlmRequest ask(String query, List<String> roles) {
        return new LlmRequest("system", "<<<" + query + ">>>", query, roles);
    }

    @Test
    void answersWithTheBestMatchingPassageLabelledAsRetrieved() {
        LlmAnswer answer = answerer.ask(ask("When does the office open in the morning?", List.of("ai.playground.user")));

        assertThat(answer.text()).startsWith("[offline mode").contains("public.md").contains("opens at nine");
        assertThat(answer.outputTokens()).isZero();
        assertThat(answer.inputTokens()).isPositive();
        assertThat(answer.model()).isEqualTo(OfflineAnswerer.MODEL);
    }

    @Test
    void aRoleRestrictedDocumentIsNeverReturnedToAUserWithoutTheRole() {
        String question = "How do I rotate the database master password? What is the vault rotation code?";

        LlmAnswer user = answerer.ask(ask(question, List.of("ai.playground.user", "soc.analyst")));
        LlmAnswer admin = answerer.ask(ask(question, List.of("security.admin")));

        assertThat(admin.text()).contains(RESTRICTED_MARKER).contains("restricted.md");
        assertThat(user.text()).doesNotContain(RESTRICTED_MARKER).doesNotContain("restricted.md").doesNotContain("master password");
    }

    @Test
    void saysSoWhenNothingReadableMatches() {
        LlmAnswer answer = answerer.ask(ask("What is the boiling point of tungsten in kelvin?", List.of("ai.playground.user")));

        assertThat(answer.text()).contains("No passage in the knowledge base you may read matches");
    }
}
