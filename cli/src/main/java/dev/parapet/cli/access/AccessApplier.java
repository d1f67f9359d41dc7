package dev.parapet.cli.access;

import dev.parapet.events.config.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Makes the broker match an {@link AccessPlan}: sets each account's SCRAM-SHA-512 password, adds
 * the missing ACLs and removes any other ALLOW ACL held by a service account. DENY ACLs an operator
 * added, and other principals' ACLs, are left alone. Running it twice changes nothing the second time.
 */
public final class AccessApplier {

    /** What a run changed. */
    public record Report(List<String> usersSet, int aclsAdded, int aclsUnchanged, List<AclBinding> aclsRemoved) {
    }

    /** RFC 7677 recommends at least 4096; Kafka's minimum is 4096. */
    private static final int ITERATIONS = 8192;

    private final Admin admin;
    private final Duration timeout;

    public AccessApplier(Admin admin, Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin can't be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout can't be null");
    }

    public Report apply(AccessPlan plan, Map<ServiceAccount, Secret> passwords) {
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        List<String> users = new ArrayList<>();
        passwords.forEach((account, password) -> {
            upserts.add(new UserScramCredentialUpsertion(account.user(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password.reveal()));
            users.add(account.user());
        });
        if (!upserts.isEmpty()) {
            await(admin.alterUserScramCredentials(upserts).all());
        }

        Set<AclBinding> wanted = new HashSet<>();
        plan.grants().forEach(g -> wanted.add(g.binding()));
        Set<AclBinding> held = new HashSet<>();
        for (ServiceAccount account : ServiceAccount.values()) {
            held.addAll(await(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(account.principal(), null, AclOperation.ANY, AclPermissionType.ALLOW)))
                    .values()));
        }
        List<AclBinding> missing = wanted.stream().filter(b -> !held.contains(b)).toList();
        List<AclBinding> extra = held.stream().filter(b -> !wanted.contains(b)).toList();
        if (!missing.isEmpty()) {
            await(admin.createAcls(missing).all());
        }
        if (!extra.isEmpty()) {
            await(admin.deleteAcls(extra.stream().map(AclBinding::toFilter).toList()).all());
        }
        return new Report(List.copyOf(users), missing.size(), wanted.size() - missing.size(), extra);
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while changing access on the broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused an access change: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + timeout.toSeconds() + " s", e);
        }
    }
}
