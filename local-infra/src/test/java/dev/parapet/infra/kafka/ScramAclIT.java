package dev.parapet.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ScramAclIT {

    private static final ScramUser ADMIN = new ScramUser("admin", "admin-secret");
    private static final ScramUser EDGE = new ScramUser("ingest-api", "edge-secret");

    @Test
    void deniesAUserWithoutAclsAndAllowsOnceGranted() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().withScram(ADMIN, EDGE).start()) {
            // Given
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("llm.queries", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }

            // When / Then: no ACL yet
            assertThatThrownBy(() -> send(kafka.clientProperties(EDGE)))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);

            // When: the admin grants WRITE on the topic
            try (Admin admin = kafka.admin()) {
                admin.createAcls(List.of(new AclBinding(
                        new ResourcePattern(ResourceType.TOPIC, "llm.queries", PatternType.LITERAL),
                        new AccessControlEntry("User:" + EDGE.name(), "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                        .all().get(30, TimeUnit.SECONDS);
            }

            // Then
            assertThat(send(kafka.clientProperties(EDGE))).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void refusesAWrongPassword() {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().withScram(ADMIN).start()) {
            assertThatThrownBy(() -> send(kafka.clientProperties(new ScramUser("admin", "guess"))))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static long send(Map<String, Object> clientProperties) throws Exception {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>("llm.queries", "k", "v")).get(20, TimeUnit.SECONDS).offset();
        }
    }
}
