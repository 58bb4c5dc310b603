package org.mlarouter.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code review}, {@code treaties}, {@code dlq}, {@code keys}, {@code users}):
 * given none, it prints its usage and exits 2. Its subcommands reach the root, its output and environment, as
 * {@code parent.root}.
 */
abstract class CommandGroup implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out);
        return MlaRouter.USAGE;
    }
}
