package dev.parapet.cli.access;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import dev.parapet.events.topic.TopicCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.acl.AclOperation;

/**
 * Who may do what on the broker: the single definition of Parapet's Kafka ACLs. The compose
 * setup job applies it with {@code parapet access apply}, and {@code KafkaAccessIT} proves each
 * row on a broker running the StandardAuthorizer. Every operation not granted here is refused
 * ({@code allow.everyone.if.no.acl.found=false}).
 *
 * <p>The rows follow the data flow. Notably the worker may not write {@code llm.queries.approved}
 * (a compromised worker cannot approve queries), the edge may not read decisions or queries, and
 * nothing but the policy stage reads the raw queries, which carry bearer tokens.
 *
 * <p>A Kafka Streams application also gets, under its application id as a prefix: its internal
 * topics (create, read, write, describe configs, and delete, which Streams needs to purge
 * repartition topics), its consumer group and, with exactly-once, its transactional ids.
 *
 * @param grants every allowed operation
 */
public record AccessPlan(List<Grant> grants) {

    public AccessPlan {
        grants = List.copyOf(Objects.requireNonNull(grants, "grants can't be null"));
    }

    /** The plan for these topics and names. */
    public static AccessPlan of(TopicCatalog topics, AccessNames names) {
        Rows rows = new Rows();

        // edge: publishes queries, its idempotency markers and its own rejections; reads answers
        rows.write(ServiceAccount.INGEST, topics.queries(), topics.idempotency(), topics.decisions());
        rows.read(ServiceAccount.INGEST, topics.responses(), topics.idempotency());
        rows.group(ServiceAccount.INGEST, names.ingestApplicationId(), LITERAL);

        // policy stage: the only reader of raw queries and the only writer of approvals
        rows.read(ServiceAccount.POLICY, topics.queries(), topics.revocations());
        rows.write(ServiceAccount.POLICY, topics.queriesApproved(), topics.decisions(), topics.responses(), topics.dlq());
        rows.exactlyOnceStreams(ServiceAccount.POLICY, names.policyApplicationId());

        // worker: approved queries in, answers and output-guard decisions out
        rows.read(ServiceAccount.WORKER, topics.queriesApproved(), topics.responses());
        rows.write(ServiceAccount.WORKER, topics.responses(), topics.decisions(), topics.dlq());
        rows.group(ServiceAccount.WORKER, names.workerGroup(), LITERAL);

        // detector: its stream, the indexer and the webhook dispatchers
        rows.read(ServiceAccount.DETECTOR, topics.decisions(), topics.anomalies(), topics.responses());
        rows.write(ServiceAccount.DETECTOR, topics.anomalies(), topics.revocations(), topics.dlq());
        rows.exactlyOnceStreams(ServiceAccount.DETECTOR, names.detectorApplicationId());
        rows.group(ServiceAccount.DETECTOR, names.indexerGroup(), LITERAL);
        rows.group(ServiceAccount.DETECTOR, names.alertGroupPrefix() + "-", PREFIXED);

        return new AccessPlan(rows.grants);
    }

    /** The grants of one account. */
    public List<Grant> of(ServiceAccount account) {
        return grants.stream().filter(g -> g.account() == account).toList();
    }

    /** Whether {@code account} may do {@code operation} on the literal topic {@code topic}. */
    public boolean allowsTopic(ServiceAccount account, String topic, AclOperation operation) {
        return grants.stream().anyMatch(g -> g.account() == account && g.type() == TOPIC && g.operation() == operation
                && (g.pattern() == LITERAL ? g.name().equals(topic) : topic.startsWith(g.name())));
    }

    private static final class Rows {
        private final List<Grant> grants = new ArrayList<>();

        void read(ServiceAccount account, String... topics) {
            for (String topic : topics) {
                grants.add(new Grant(account, TOPIC, topic, LITERAL, READ));
            }
        }

        void write(ServiceAccount account, String... topics) {
            for (String topic : topics) {
                grants.add(new Grant(account, TOPIC, topic, LITERAL, WRITE));
            }
        }

        void group(ServiceAccount account, String group, org.apache.kafka.common.resource.PatternType pattern) {
            grants.add(new Grant(account, GROUP, group, pattern, READ));
        }

        void exactlyOnceStreams(ServiceAccount account, String applicationId) {
            for (AclOperation op : List.of(CREATE, READ, WRITE, DESCRIBE_CONFIGS, DELETE)) {
                grants.add(new Grant(account, TOPIC, applicationId + "-", PREFIXED, op));
            }
            group(account, applicationId, LITERAL);
            grants.add(new Grant(account, TRANSACTIONAL_ID, applicationId + "-", PREFIXED, WRITE));
            grants.add(new Grant(account, TRANSACTIONAL_ID, applicationId + "-", PREFIXED, DESCRIBE));
        }
    }
}
