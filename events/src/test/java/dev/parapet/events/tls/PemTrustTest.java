package dev.parapet.events.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTrustTest {

    private static final Path CA = Path.of("src/test/resources/tls/test-ca.crt");

    @TempDir
    Path dir;

    @Test
    void trustsTheCertificatesOfAPemFile() {
        assertThat(PemTrust.sslContext(CA).getProtocol()).isEqualTo("TLS");
    }

    @Test
    void refusesAFileWithoutACertificateAndAMissingFile() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.crt"), "");
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemTrust.sslContext(empty)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.crt");
        assertThatThrownBy(() -> PemTrust.sslContext(garbage)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("garbage.crt");
        assertThatThrownBy(() -> PemTrust.sslContext(dir.resolve("missing.crt"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read");
    }
}
