package dev.parapet.cli.audit;

import dev.parapet.cli.stack.StackEnvironment;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.policy.audit.AuditReport;
import dev.parapet.policy.audit.ChainVerifier;
import dev.parapet.policy.audit.KafkaDecisionReader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parapet audit verify}: re-computes every link of every partition's chain; exit 1 on the first break found. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the hash chain of the decisions topic: reports the first gap, reordering or altered record of each partition.",
                "Exit 0 when intact, 1 when broken."})
public final class AuditVerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** Where the decisions are read from. */
    enum Source { KAFKA, ELASTICSEARCH }

    @Option(names = "--source", defaultValue = "kafka", converter = SourceConverter.class,
            description = "kafka (the decisions topic) or elasticsearch (the indexed decisions) (default: ${DEFAULT-VALUE})")
    private Source from;

    @Option(names = "--topic", description = "topic to check (default: the catalog's decisions topic)")
    private String topic;

    @Option(names = "--index", description = "index to check with --source elasticsearch (default: parapet-decisions, or PARAPET_ES_INDEX_PREFIX + decisions)")
    private String index;

    @Override
    public Integer call() throws java.io.IOException {
        ChainVerifier verifier = new ChainVerifier();
        String source;
        long read;
        if (from == Source.ELASTICSEARCH) {
            if (topic != null) {
                throw new dev.parapet.cli.UsageError("--topic applies to --source kafka only");
            }
            String prefix = StackEnvironment.resolve().getOrDefault("PARAPET_ES_INDEX_PREFIX", "parapet-");
            source = index != null ? index : prefix + "decisions";
            try (var connection = new dev.parapet.detector.index.ElasticsearchConnection(StackEnvironment.elasticsearchUrl())) {
                read = ElasticsearchDecisionReader.readAll(connection.client(), source, verifier::accept);
            }
        } else {
            if (index != null) {
                throw new dev.parapet.cli.UsageError("--index applies to --source elasticsearch only");
            }
            KafkaSettings kafka = StackEnvironment.kafka();
            source = topic != null ? topic : kafka.topics().decisions();
            read = KafkaDecisionReader.readAll(kafka.clientProperties(), source, (partition, offset, key, doc) ->
                    verifier.accept(partition, offset, doc));
        }
        AuditReport report = verifier.report();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %d records read, %d chained decisions verified, %d unchained (other stages)%n", source, read,
                report.verified(), report.unchained());
        report.lastSeq().keySet().stream().sorted().forEach(p -> out.printf("  partition %d: seq %d..%d%s%n", p,
                report.firstSeq().get(p), report.lastSeq().get(p),
                report.firstSeq().get(p) > 1 ? " (older records removed by retention)" : ""));
        if (report.intact()) {
            out.println("audit chain intact");
            return 0;
        }
        report.problems().forEach(problem -> out.println("BROKEN " + problem));
        return 1;
    }

    static final class SourceConverter implements picocli.CommandLine.ITypeConverter<Source> {
        @Override
        public Source convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "kafka" -> Source.KAFKA;
                case "elasticsearch", "es" -> Source.ELASTICSEARCH;
                default -> throw new picocli.CommandLine.TypeConversionException("--source must be kafka or elasticsearch, got '" + value + "'");
            };
        }
    }
}
