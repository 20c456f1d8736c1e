package org.parley.node.cli;

import java.io.PrintWriter;
import java.util.List;
import org.parley.node.api.ApiPaths;
import org.parley.node.api.dto.GroupAnswer;
import org.parley.node.api.dto.GroupMemberAnswer;
import org.parley.node.api.dto.GroupRequest;
import org.parley.node.api.dto.GroupsAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code parley groups [create NAME MEMBER... | add G MEMBER | remove G MEMBER | leave G |
 * rename G NAME | promote G MEMBER]}: group chats of an identity. G is a group's id or name;
 * a MEMBER is a contact's user ID or local name. {@code send G TEXT} and {@code history G} work
 * for groups as for contacts. Not thread safe (one run).
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "List your groups; create one, add, remove, leave, rename, promote.",
        subcommands = {GroupsCommand.Create.class, GroupsCommand.Add.class, GroupsCommand.Remove.class,
            GroupsCommand.Leave.class, GroupsCommand.Rename.class, GroupsCommand.Promote.class})
final class GroupsCommand extends ChatCommand<GroupsAnswer> {

    @Override
    ApiClient.Answer<GroupsAnswer> request(ApiClient client) throws CliException {
        return client.get(withIdentity(ApiPaths.GROUPS), GroupsAnswer.class);
    }

    @Override
    void printText(GroupsAnswer answer, PrintWriter out) {
        if (orEmpty(answer.groups()).isEmpty()) {
            out.println("no groups yet: create one with parley groups create NAME MEMBER...");
        }
        for (GroupAnswer g : orEmpty(answer.groups())) {
            printGroup(g, out);
        }
    }

    static void printGroup(GroupAnswer g, PrintWriter out) {
        String you = !g.member() ? "not a member" : g.admin() ? "admin" : "member";
        out.println(g.name() + "  " + g.groupId() + "  " + g.membership() + "  " + orEmpty(g.members()).size()
                + " members  you: " + you);
        for (GroupMemberAnswer m : orEmpty(g.members())) {
            out.println("  " + (m.label() == null ? m.userId() : m.label() + "  " + m.userId()) + "  " + m.role());
        }
    }

    /** A subcommand answering with one group. */
    abstract static class GroupAction extends ChatCommand<GroupAnswer> {
        abstract String path();

        abstract GroupRequest body();

        @Override
        ApiClient.Answer<GroupAnswer> request(ApiClient client) throws CliException {
            return client.post(path(), body(), GroupAnswer.class);
        }

        @Override
        void printText(GroupAnswer answer, PrintWriter out) {
            printGroup(answer, out);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a group of contacts, with you as its admin; they see the invitation among their requests.")
    static final class Create extends GroupAction {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "MEMBER",
                description = "Contacts' user IDs or the names you gave them.")
        List<String> members;

        @Override
        String path() {
            return ApiPaths.GROUPS;
        }

        @Override
        GroupRequest body() {
            return new GroupRequest(identity, null, name, null, members);
        }
    }

    /** A change to one member of a group: the group, the member, and where it goes. */
    abstract static class MemberAction extends GroupAction {
        @Parameters(index = "0", paramLabel = "G", description = "The group's id or name.")
        String group;

        @Parameters(index = "1", paramLabel = "MEMBER")
        String member;

        @Override
        GroupRequest body() {
            return new GroupRequest(identity, group, null, member, null);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a contact to a group (admins only).")
    static final class Add extends MemberAction {
        @Override
        String path() {
            return ApiPaths.GROUPS_ADD;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a member from a group (admins only); they read nothing sent afterwards.")
    static final class Remove extends MemberAction {
        @Override
        String path() {
            return ApiPaths.GROUPS_REMOVE;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make a member an admin (admins only).")
    static final class Promote extends MemberAction {
        @Override
        String path() {
            return ApiPaths.GROUPS_PROMOTE;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a group (admins only).")
    static final class Rename extends GroupAction {
        @Parameters(index = "0", paramLabel = "G", description = "The group's id or name.")
        String group;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        String path() {
            return ApiPaths.GROUPS_RENAME;
        }

        @Override
        GroupRequest body() {
            return new GroupRequest(identity, group, name, null, null);
        }
    }

    @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave a group.")
    static final class Leave extends GroupAction {
        @Parameters(index = "0", paramLabel = "G", description = "The group's id or name.")
        String group;

        @Override
        String path() {
            return ApiPaths.GROUPS_LEAVE;
        }

        @Override
        GroupRequest body() {
            return new GroupRequest(identity, group, null, null, null);
        }
    }
}
