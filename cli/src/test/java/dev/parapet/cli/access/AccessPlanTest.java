package dev.parapet.cli.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.events.topic.TopicSpec;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The rows of the plan that the security argument rests on; KafkaAccessIT proves them on a broker. */
class AccessPlanTest {

    private final TopicCatalog topics = new TopicCatalog("", 3, Optional.empty());
    private final AccessPlan plan = AccessPlan.of(topics, AccessNames.defaults());

    @Test
    void onlyThePolicyStageApprovesQueriesAndReadsRawQueries() {
        for (ServiceAccount account : ServiceAccount.values()) {
            boolean policy = account == ServiceAccount.POLICY;
            assertThat(plan.allowsTopic(account, topics.queriesApproved(), AclOperation.WRITE)).as(account.name()).isEqualTo(policy);
            assertThat(plan.allowsTopic(account, topics.queries(), AclOperation.READ)).as(account.name()).isEqualTo(policy);
        }
        assertThat(plan.allowsTopic(ServiceAccount.INGEST, topics.decisions(), AclOperation.READ)).isFalse();
        assertThat(plan.allowsTopic(ServiceAccount.WORKER, topics.revocations(), AclOperation.WRITE)).isFalse();
    }

    @Test
    void nobodyMayCreateDeleteOrAlterTheContractTopicsAndNoGrantIsAWildcard() {
        for (TopicSpec spec : topics.specs()) {
            for (ServiceAccount account : ServiceAccount.values()) {
                for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.ALTER_CONFIGS, AclOperation.ALL)) {
                    assertThat(plan.allowsTopic(account, spec.name(), op)).as(account + " " + op + " " + spec.name()).isFalse();
                }
            }
        }
        assertThat(plan.grants()).allSatisfy(g -> {
            assertThat(g.name()).isNotEqualTo("*");
            assertThat(g.operation()).isNotIn(AclOperation.ALL, AclOperation.ALTER, AclOperation.ALTER_CONFIGS, AclOperation.CLUSTER_ACTION);
            assertThat(g.type()).isIn(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID);
        });
    }

    @Test
    void refusesApplicationIdsWhosePrefixedGrantsWouldCoverAnother() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AccessNames("parapet-ingest", "parapet", "parapet-llm-worker",
                "parapet-detector", "parapet-es-indexer", "parapet-alerts")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlaps 'parapet'");
    }

    @Test
    void prefixedGrantsAreTheStreamsApplicationsOwnNamesOnly() {
        assertThat(plan.grants().stream().filter(g -> g.pattern() == PatternType.PREFIXED).map(Grant::name).distinct())
                .containsExactlyInAnyOrder("parapet-policy-", "parapet-detector-", "parapet-alerts-");
        assertThat(plan.of(ServiceAccount.WORKER)).noneMatch(g -> g.type() == ResourceType.TRANSACTIONAL_ID);
        assertThat(plan.of(ServiceAccount.INGEST)).noneMatch(g -> g.pattern() == PatternType.PREFIXED);
    }
}
