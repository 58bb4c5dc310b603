package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.cli.MlaRouter;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The users file: written by {@code mla-router users add} with an argon2id hash (the password from standard input, never
 * an argument), readable by its owner only; read back with argon2id and bcrypt hashes; a bad line refused naming file
 * and line.
 */
class LocalUsersTest {

    @TempDir
    Path dir;

    @Test
    void shouldAddUsersFromTheCommandLineWithArgon2idHashesInAnOwnerOnlyFile() throws Exception {
        final Path file = dir.resolve("users");
        assertEquals(0, add("r.lee", "correct horse", "--role", "reviewer,supervisor", "--file", file.toString()));
        assertEquals(0, add("border-agency", "agency pass", "--role", "agency", "--authority", "Border Police, Almaty", "--file", file.toString()));

        final List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).matches("r\\.lee:\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[^:]+:reviewer,supervisor"), lines.get(0));
        assertTrue(lines.get(1).endsWith(":agency:Border Police, Almaty"), lines.get(1));
        assertTrue(!Files.readString(file).contains("correct horse"), "no password in clear");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        final LocalUsers users = LocalUsers.read(file);
        assertEquals(Set.of(Role.REVIEWER, Role.SUPERVISOR), users.authenticate("r.lee", "correct horse").orElseThrow().roles());
        assertEquals(Optional.of("Border Police, Almaty"), users.authenticate("border-agency", "agency pass").orElseThrow().authority());
        assertTrue(users.authenticate("r.lee", "wrong").isEmpty());
        assertTrue(users.authenticate("nobody", "correct horse").isEmpty());

        assertEquals(0, add("r.lee", "new password", "--role", "viewer", "--file", file.toString()));
        final LocalUsers replaced = LocalUsers.read(file);
        assertTrue(replaced.authenticate("r.lee", "correct horse").isEmpty(), "the user of that name is replaced");
        assertEquals(Set.of(Role.VIEWER), replaced.authenticate("r.lee", "new password").orElseThrow().roles());
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void shouldRefuseABadRoleAsAUsageError() throws Exception {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = run("pw", err, "users", "add", "x", "--role", "admin", "--file", dir.resolve("users").toString());
        assertEquals(MlaRouter.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("mla-router: --role: unknown role 'admin'"), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.notExists(dir.resolve("users")));
    }

    @Test
    void shouldReadBcryptHashesAndRefuseBadLinesNamingThem() throws Exception {
        final Path file = dir.resolve("users");
        Files.writeString(file, "# staff\n\nops:" + new BCryptPasswordEncoder().encode("op pass") + ":operator\n");
        assertTrue(LocalUsers.read(file).authenticate("ops", "op pass").isPresent(), "bcrypt is read as well");

        for (final Map.Entry<String, String> bad : Map.of(
                "ops:op pass:operator\n", "line 1: the password of ops is not an argon2id or bcrypt hash",
                "ops:$2a$10$abcdefghijklmnopqrstuu:\n", "line 1: ops has no role",
                "ops:$2a$10$abcdefghijklmnopqrstuu:root\n", "line 1: unknown role 'root'",
                "# ok\nops\n", "line 2: a user is name:HASH:role").entrySet()) {
            Files.writeString(file, bad.getKey());
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> LocalUsers.read(file));
            assertTrue(refused.getMessage().startsWith(file + " " + bad.getValue()), refused.getMessage());
            assertTrue(!refused.getMessage().contains("op pass"), refused.getMessage());
        }
    }

    private int add(final String name, final String password, final String... options) throws Exception {
        final String[] arguments = new String[options.length + 3];
        arguments[0] = "users";
        arguments[1] = "add";
        arguments[2] = name;
        System.arraycopy(options, 0, arguments, 3, options.length);
        return run(password, new ByteArrayOutputStream(), arguments);
    }

    private static int run(final String stdin, final ByteArrayOutputStream err, final String... arguments) {
        final InputStream before = System.in;
        System.setIn(new ByteArrayInputStream((stdin + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return MlaRouter.run(Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), arguments);
        } finally {
            System.setIn(before);
        }
    }
}
