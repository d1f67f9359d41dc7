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

    @Option(names = "--topic", description = "topic to check (default: the catalog's decisions topic)")
    private String topic;

    @Override
    public Integer call() {
        KafkaSettings kafka = StackEnvironment.kafka();
        String source = topic != null ? topic : kafka.topics().decisions();
        ChainVerifier verifier = new ChainVerifier();
        long read = KafkaDecisionReader.readAll(kafka.clientProperties(), source, (partition, offset, key, doc) ->
                verifier.accept(partition, offset, doc));
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
}
