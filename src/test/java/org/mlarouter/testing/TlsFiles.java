package org.mlarouter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1, in a PKCS12 key store for a broker and a trust store for its clients, made
 * with the JDK's {@code keytool} (no other tool or library needed). Valid for two days.
 */
public final class TlsFiles {

    public final Path keyStore;
    public final Path trustStore;
    public final String password;

    private TlsFiles(final Path keyStore, final Path trustStore, final String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
    }

    /** Creates the stores in {@code directory}, protected by {@code password}. */
    public static TlsFiles create(final Path directory, final String password) throws IOException, InterruptedException {
        final Path keyStore = directory.resolve("broker.p12");
        final Path certificate = directory.resolve("broker.cer");
        final Path trustStore = directory.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", password, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", password);
        return new TlsFiles(keyStore, trustStore, password);
    }

    private static void keytool(final String... arguments) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool " + arguments[0] + " did not finish within 60 s");
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + arguments[0] + " failed (exit " + process.exitValue() + "): " + output);
        }
    }
}
