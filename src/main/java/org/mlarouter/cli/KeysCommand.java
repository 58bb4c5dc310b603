package org.mlarouter.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.mlarouter.config.RouterConfig;
import org.mlarouter.topology.OutcomeSignature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mla-router keys}: the key the router signs review outcomes with ({@code mla.review.signing.key.file}). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "The key the router signs review outcomes with"
        + " (mla.review.signing.key.file).", subcommands = KeysCommand.NewCommand.class)
final class KeysCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out);
        return MlaRouter.USAGE;
    }

    /** {@code mla-router keys new FILE}. */
    @Command(name = "new", mixinStandardHelpOptions = true, description = "Write a new random signing key (32 bytes, Base64) to FILE,"
            + " readable by its owner only. Give every instance of one router the same file; an existing file is never replaced.")
    static final class NewCommand implements Callable<Integer> {

        @ParentCommand
        KeysCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "Where the key is written.")
        Path file;

        @picocli.CommandLine.Option(names = "--if-missing", description = "Exit 0, keeping the file, when FILE exists (for a deployment's first start).")
        boolean ifMissing;

        @Override
        public Integer call() {
            if (Files.exists(file) && ifMissing) {
                parent.root.out.println("Signing key " + file + " kept");
                return 0;
            }
            if (Files.exists(file)) {
                parent.root.err.println("mla-router: " + file + " exists: a signing key is never replaced (outcomes signed with it would"
                        + " no longer verify); choose another file");
                return MlaRouter.FAILURE;
            }
            OutcomeSignature.createKeyFile(file);
            parent.root.out.println("Signing key written to " + file + "; set " + RouterConfig.REVIEW_SIGNING_KEY_FILE_CONFIG + "=" + file
                    + " on every instance");
            return 0;
        }
    }
}
