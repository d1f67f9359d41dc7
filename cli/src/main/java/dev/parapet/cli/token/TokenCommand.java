package dev.parapet.cli.token;

import dev.parapet.cli.stack.ParapetHome;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.TokenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parapet token}: prints a signed dev JWT for the local stack. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print a signed JWT for the local stack.",
                "Signed with SECRET_KEY when set, else with the local stack's generated dev key (.parapet/dev-secret)."})
public final class TokenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--user", required = true, description = "user id: 3-32 letters, digits, '_' or '-'")
    private String user;

    @Option(names = "--roles", split = ",", defaultValue = "ai.playground.user",
            description = "comma-separated roles (default: ${DEFAULT-VALUE})")
    private List<String> roles;

    @Option(names = "--ttl", description = "lifetime such as 30m or 1h (default: TOKEN_EXPIRY_HOURS)")
    private String ttl;

    @Override
    public Integer call() {
        EnvReader env = EnvReader.system();
        TokenSettings settings = TokenSettings.from(env);
        env.validate();
        Duration lifetime = ttl == null ? settings.maxLifetime()
                : EnvReader.parseDuration(ttl).orElseThrow(() -> new IllegalArgumentException(
                        "--ttl must be a duration like 30m, 1h or 2d, got '" + ttl + "'"));
        TokenSettings signing = settings.secret().isPresent() ? settings
                : settings.withSecret(DevSecret.loadOrCreate(ParapetHome.stateDir()));
        String token = new DevTokenIssuer(signing).issue(new TokenRequest(user, roles, lifetime), Instant.now());
        spec.commandLine().getOut().println(token);
        return 0;
    }
}
