package dev.parapet.worker.llm;

import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.bedrock.BedrockChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;

/**
 * Amazon Bedrock (the seeds' AWS deployment) through langchain4j's Converse-API model, behind the
 * same retries and breaker as every provider. Credentials come from the AWS default chain
 * (environment, profile, instance or task role); the AWS SDK's own retries are off, since
 * {@link ResilientLlmClient} retries.
 */
public final class BedrockClients {

    private BedrockClients() {
    }

    /**
     * @param settings {@code baseUrl} empty for the region's endpoint, or an endpoint override
     *                 (a VPC endpoint, or a test server)
     * @param region   such as {@code us-east-1}
     */
    public static ResilientLlmClient bedrock(ChatModelSettings settings, String region) {
        BedrockRuntimeClientBuilder builder = BedrockRuntimeClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(settings.timeout()))
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()).apiCallAttemptTimeout(settings.timeout()));
        if (!settings.baseUrl().isBlank()) {
            builder.endpointOverride(URI.create(settings.baseUrl()));
        }
        ChatModel model = BedrockChatModel.builder()
                .client(builder.build())
                .modelId(settings.model())
                .defaultRequestParameters(ChatRequestParameters.builder()
                        .maxOutputTokens(settings.maxTokens())
                        .temperature(settings.temperature())
                        .build())
                .maxRetries(0)
                .build();
        return new ResilientLlmClient(model, settings.model(), settings.maxAttempts(), settings.initialBackoff(), settings.breakerOpenFor(),
                BedrockClients::retriable);
    }

    /** Throttling, server errors and transport failures are retriable, wherever they sit in the cause chain. */
    static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
            if (t instanceof SdkServiceException service) {
                return service.statusCode() == 429 || service.statusCode() >= 500 || service.isThrottlingException();
            }
            if (t instanceof SdkClientException) {
                return true;
            }
        }
        return false;
    }
}
