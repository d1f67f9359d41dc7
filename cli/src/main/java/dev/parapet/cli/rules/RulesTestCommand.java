package dev.parapet.cli.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import dev.parapet.policy.content.ContentRule;
import dev.parapet.policy.content.ContentScanner;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.RulePack;
import dev.parapet.policy.content.RulePacks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parapet rules test}: runs the content rules the policy stage uses over a file, one JSON
 * verdict per input line on stdout and a summary on stderr, so a rule change can be dry-run
 * against real traffic before it is deployed.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run content rules over a file: one JSON verdict per line on stdout, a summary on stderr.",
                "Input: JSONL with a 'text' field (optional 'label'/'category' give detection rates), or plain lines; '-' reads stdin."})
public final class RulesTestCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, description = "JSONL or text file, or - for stdin")
    private String input;

    @Option(names = "--rules", description = "rule pack JSON (default: the built-in pack)")
    private Path rules;

    @Override
    public Integer call() throws IOException {
        RulePack pack = rules == null ? RulePacks.builtIn() : RulePacks.fromFile(rules);
        Map<String, ContentRule> byId = pack.rules().stream().collect(Collectors.toMap(ContentRule::id, Function.identity()));
        ContentScanner scanner = new ContentScanner(pack);
        PrintWriter out = spec.commandLine().getOut();
        Summary summary = new Summary();
        long started = System.nanoTime();
        try (BufferedReader reader = open()) {
            int lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode result = Json.mapper().createObjectNode().put("line", lineNumber);
                Sample sample;
                try {
                    sample = Sample.parse(line);
                } catch (IllegalArgumentException e) {
                    summary.errors++;
                    out.println(result.put("error", e.getMessage()));
                    continue;
                }
                ContentVerdict verdict;
                try {
                    verdict = scanner.scan(sample.text());
                } catch (RuntimeException e) {
                    summary.errors++;
                    out.println(result.put("verdict", "block").put("error", "scan failed (the policy stage denies): " + e.getMessage()));
                    continue;
                }
                result.put("verdict", verdict.action().name().toLowerCase(Locale.ROOT)).put("score", verdict.score());
                var categories = result.putArray("categories");
                new TreeSet<>(verdict.ruleIds().stream().map(id -> byId.get(id).category().wireName()).toList())
                        .forEach(categories::add);
                var ids = result.putArray("rule_ids");
                verdict.ruleIds().forEach(ids::add);
                if (sample.category() != null) {
                    result.put("category", sample.category());
                }
                out.println(result);
                summary.add(sample, verdict);
            }
        }
        out.flush();
        summary.print(spec.commandLine().getErr(), pack, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private BufferedReader open() {
        if ("-".equals(input)) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        Path path = Path.of(input);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("--input " + input + " is not a readable file");
        }
        try {
            return Files.newBufferedReader(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One input line: JSON with {@code text} (and optional {@code label}, {@code category}), or plain text. */
    public record Sample(String text, String label, String category) {
        /** @throws IllegalArgumentException naming what is wrong, never quoting the line */
        public static Sample parse(String line) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("{")) {
                return new Sample(line, null, null);
            }
            JsonNode json;
            try {
                json = Json.mapper().readTree(trimmed);
            } catch (IOException e) {
                throw new IllegalArgumentException("not valid JSON");
            }
            JsonNode text = json.get("text");
            if (text == null || !text.isTextual()) {
                throw new IllegalArgumentException("no 'text' string field");
            }
            return new Sample(text.asText(), json.path("label").asText(null), json.path("category").asText(null));
        }
    }
}
