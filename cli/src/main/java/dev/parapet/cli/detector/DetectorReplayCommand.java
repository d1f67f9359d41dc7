package dev.parapet.cli.detector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.cli.rules.RulesTestCommand;
import dev.parapet.cli.stack.StackEnvironment;
import dev.parapet.policy.audit.KafkaDecisionReader;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.LayeredContentCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parapet detector replay}: runs prompts through the active detector and a candidate (a new
 * model, a new rule pack, or both) and prints what would change: newly blocked, newly allowed and
 * newly flagged, by category. Reads a file, or every committed record of the queries topic the
 * stack retains. Nothing is written anywhere; no prompt is printed.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Compare the active detector with a candidate on a file or on the retained queries topic; prints what would change.",
                "File lines: JSONL with 'text' (optional 'category'), or plain text."})
public final class DetectorReplayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    static final class Source {
        @Option(names = "--input", description = "JSONL or text file")
        Path input;

        @Option(names = "--topic", description = "queries topic of the running stack to read from the beginning (llm.queries)")
        String topic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    @picocli.CommandLine.Mixin
    private DetectorOptions active;

    @Option(names = "--candidate-model", description = "candidate model artifact (default: the active model)")
    private Path candidateModel;

    @Option(names = "--candidate-rules", description = "candidate rule pack (default: the active pack)")
    private Path candidateRules;

    @Override
    public Integer call() throws IOException {
        if (candidateModel == null && candidateRules == null) {
            throw new IllegalArgumentException("name a candidate: --candidate-model, --candidate-rules or both");
        }
        LayeredContentCheck current = active.check();
        LayeredContentCheck candidate = active.withCandidate(candidateModel, candidateRules);
        ReplayTally tally = new ReplayTally();
        if (source.input != null) {
            readFile(source.input, (text, category) -> tally.add(current.scan(text), candidate.scan(text), category));
        } else {
            KafkaDecisionReader.readAll(StackEnvironment.kafka().clientProperties(), source.topic, (partition, offset, key, doc) -> {
                JsonNode query = doc.get("query");
                if (query == null || !query.isTextual()) {
                    tally.unreadable++;
                } else {
                    tally.add(current.scan(query.asText()), candidate.scan(query.asText()), null);
                }
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "active:    %s%ncandidate: %s%n", current.describe(), candidate.describe());
        tally.print(out);
        return 0;
    }

    private interface Sink {
        void accept(String text, String category);
    }

    private static void readFile(Path path, Sink sink) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("--input " + path + " is not a readable file");
        }
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                RulesTestCommand.Sample sample;
                try {
                    sample = RulesTestCommand.Sample.parse(line);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(path + " line " + number + ": " + e.getMessage());
                }
                sink.accept(sample.text(), sample.category());
            }
        }
    }

    /** Counts action changes from active to candidate, overall and by category. */
    static final class ReplayTally {
        private final Map<String, long[]> byCategory = new TreeMap<>();
        private final long[] total = new long[4];
        long unreadable;

        private static final int NEWLY_BLOCKED = 0;
        private static final int NEWLY_UNBLOCKED = 1;
        private static final int FLAG_CHANGED = 2;
        private static final int SEEN = 3;

        void add(ContentVerdict active, ContentVerdict candidate, String label) {
            String category = label != null ? label
                    : candidate.action() == ContentVerdict.Action.BLOCK ? candidate.category().map(c -> c.wireName()).orElse("-")
                    : active.category().map(c -> c.wireName()).orElse("-");
            long[] counts = byCategory.computeIfAbsent(category, k -> new long[4]);
            int change = change(active.action(), candidate.action());
            if (change >= 0) {
                counts[change]++;
                total[change]++;
            }
            counts[SEEN]++;
            total[SEEN]++;
        }

        static int change(ContentVerdict.Action before, ContentVerdict.Action after) {
            boolean wasBlocked = before == ContentVerdict.Action.BLOCK;
            boolean isBlocked = after == ContentVerdict.Action.BLOCK;
            if (!wasBlocked && isBlocked) {
                return NEWLY_BLOCKED;
            }
            if (wasBlocked && !isBlocked) {
                return NEWLY_UNBLOCKED;
            }
            return before != after ? FLAG_CHANGED : -1;
        }

        void print(PrintWriter out) {
            out.printf(Locale.ROOT, "%-28s %8s %14s %14s %14s%n", "category", "prompts", "newly blocked", "newly allowed", "flag changed");
            byCategory.forEach((category, c) -> out.printf(Locale.ROOT, "%-28s %8d %14d %14d %14d%n", category, c[SEEN],
                    c[NEWLY_BLOCKED], c[NEWLY_UNBLOCKED], c[FLAG_CHANGED]));
            out.printf(Locale.ROOT, "%-28s %8d %14d %14d %14d%n", "total", total[SEEN], total[NEWLY_BLOCKED], total[NEWLY_UNBLOCKED],
                    total[FLAG_CHANGED]);
            if (unreadable > 0) {
                out.printf(Locale.ROOT, "%d records had no query text and were skipped%n", unreadable);
            }
            out.flush();
        }
    }
}
