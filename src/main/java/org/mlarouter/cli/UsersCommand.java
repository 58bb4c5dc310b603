package org.mlarouter.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.mlarouter.ops.LocalUsers;
import org.mlarouter.ops.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mla-router users}: the local users of {@code mla.http.users.file}. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "The operator endpoint's local users (mla.http.users.file).",
        subcommands = UsersCommand.AddCommand.class)
final class UsersCommand extends CommandGroup {

    /** {@code mla-router users add NAME --role ROLE [--authority TEXT] --file FILE}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user to a users file, or replace the one of that name. The password is read from the terminal"
                + " (twice), or else from the first line of standard input; never from an argument. It is stored as an argon2id"
                + " hash; the file is readable by its owner only.")
    static final class AddCommand implements Callable<Integer> {

        @ParentCommand
        UsersCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The user's name (the staff id recorded on what they do).")
        String name;

        @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
                description = "viewer, reviewer, supervisor, agency or operator; several comma-separated.")
        List<String> roles;

        @Option(names = "--authority", paramLabel = "TEXT", description = "For an agency: the requesting authority it submits for.")
        String authority;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The users file (mla.http.users.file).")
        Path file;

        @Override
        public Integer call() throws Exception {
            final Set<Role> parsed = EnumSet.noneOf(Role.class);
            for (final String role : roles) {
                try {
                    parsed.add(Role.of(role));
                } catch (final IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--role: " + e.getMessage());
                }
            }
            final String password = password();
            try {
                LocalUsers.add(file, name, password, parsed, Optional.ofNullable(authority));
            } catch (final IllegalArgumentException e) {
                parent.root.err.println("mla-router: " + e.getMessage());
                return MlaRouter.FAILURE;
            }
            parent.root.out.println("User " + name + " (" + String.join(", ", parsed.stream().map(Role::label).toList()) + ") written to " + file);
            return 0;
        }

        private String password() throws Exception {
            final Console console = System.console();
            if (console != null) {
                final char[] first = console.readPassword("Password for %s: ", name);
                final char[] again = console.readPassword("Again: ");
                if (first == null || !Arrays.equals(first, again)) {
                    throw new IllegalStateException("the two passwords differ");
                }
                return new String(first);
            }
            final String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalStateException("no password on standard input");
            }
            return line;
        }
    }
}
