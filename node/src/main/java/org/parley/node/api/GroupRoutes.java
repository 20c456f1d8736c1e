package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.chat.group.GroupText;
import org.parley.node.api.dto.ContactRequest;
import org.parley.node.api.dto.GroupAnswer;
import org.parley.node.api.dto.GroupMemberAnswer;
import org.parley.node.api.dto.GroupRequest;
import org.parley.node.api.dto.GroupsAnswer;
import org.parley.node.api.dto.IdentityRequest;
import org.parley.node.api.dto.MessageAnswer;
import org.parley.node.chat.ChatService;
import org.parley.node.chat.GroupService;
import org.parley.node.chat.GroupService.GroupView;
import org.parley.node.contacts.Contact;
import org.parley.node.service.ServiceException;

/**
 * The group endpoints: list (and pending invitations), create, add, remove, leave, rename,
 * promote, translating to and from {@link GroupService}. Sending and history go through the
 * message routes, which take a group's id or name where a contact is named. Thread safe.
 */
public final class GroupRoutes implements ApiRoutes {

    /** Members one create request names at most: the group limit less the creator. */
    static final int MAX_CREATE_MEMBERS = org.parley.chat.group.GroupAction.MAX_MEMBERS - 1;

    private final ChatService chat;
    private final GroupService groups;

    private GroupRoutes(ChatService chat, GroupService groups) {
        this.chat = chat;
        this.groups = groups;
    }

    public static GroupRoutes of(ChatService chat, GroupService groups) {
        return new GroupRoutes(chat, groups);
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.GROUPS, ctx -> {
            Optional<String> identity = Optional.ofNullable(ctx.queryParam(IdentityRequest.IDENTITY))
                    .filter(s -> !s.isBlank());
            boolean invitations = "true".equals(ctx.queryParam("invitations"));
            List<GroupView> list = invitations ? groups.invitations(identity) : groups.groups(identity);
            String self = chat.identity(identity).userId().text();
            ctx.json(new GroupsAnswer(self, list.stream().map(g -> group(identity, g, invitations ? null
                    : groups.latest(identity, g.id()).map(t -> message(t, self)).orElse(null)))
                    .toList()));
        });
        app.post(ApiPaths.GROUPS, ctx -> {
            JsonNode body = ApiJson.body(ctx);
            Optional<String> identity = identity(body);
            JsonNode members = body.get(GroupRequest.MEMBERS);
            if (members == null || !members.isArray() || members.isEmpty()) {
                throw ApiException.badRequest("'members' must be a list of contacts (user IDs or names)");
            }
            if (members.size() > MAX_CREATE_MEMBERS) {
                throw ApiException.badRequest("a group has at most " + MAX_CREATE_MEMBERS
                        + " members besides you; this request names " + members.size());
            }
            List<String> refs = new ArrayList<>();
            for (JsonNode m : members) {
                if (!m.isTextual()) {
                    throw ApiException.badRequest("'members' must be a list of contacts (user IDs or names)");
                }
                refs.add(m.asText());
            }
            ctx.json(group(identity, groups.create(identity, ApiJson.requiredText(body, GroupRequest.NAME), refs)));
        });
        app.post(ApiPaths.GROUPS_ADD, ctx -> {
            JsonNode body = ApiJson.body(ctx);
            ctx.json(group(identity(body), groups.add(identity(body), group(body),
                    ApiJson.requiredText(body, GroupRequest.MEMBER))));
        });
        app.post(ApiPaths.GROUPS_REMOVE, ctx -> {
            JsonNode body = ApiJson.body(ctx);
            ctx.json(group(identity(body), groups.remove(identity(body), group(body),
                    ApiJson.requiredText(body, GroupRequest.MEMBER))));
        });
        app.post(ApiPaths.GROUPS_PROMOTE, ctx -> {
            JsonNode body = ApiJson.body(ctx);
            ctx.json(group(identity(body), groups.promote(identity(body), group(body),
                    ApiJson.requiredText(body, GroupRequest.MEMBER))));
        });
        app.post(ApiPaths.GROUPS_RENAME, ctx -> {
            JsonNode body = ApiJson.body(ctx);
            ctx.json(group(identity(body), groups.rename(identity(body), group(body),
                    ApiJson.requiredText(body, GroupRequest.NAME))));
        });
        app.post(ApiPaths.GROUPS_LEAVE, ctx -> {
            JsonNode body = ApiJson.body(ctx);
            ctx.json(group(identity(body), groups.leave(identity(body), group(body))));
        });
    }

    private static String group(JsonNode body) {
        return ApiJson.requiredText(body, GroupRequest.GROUP);
    }

    private static Optional<String> identity(JsonNode body) {
        return Optional.ofNullable(ApiJson.optionalText(body, ContactRequest.IDENTITY));
    }

    GroupAnswer group(Optional<String> identity, GroupView g) {
        return group(identity, g, null);
    }

    /** {@code g} as the API answers it, with its latest message (null: none, or not asked for). */
    private GroupAnswer group(Optional<String> identity, GroupView g, MessageAnswer latest) {
        List<GroupMemberAnswer> members = new ArrayList<>();
        g.state().members().forEach((user, role) -> {
            String label;
            try {
                Contact c = chat.find(identity, user.text());
                label = c.label();
            } catch (ServiceException notAContact) {
                label = null;
            }
            members.add(new GroupMemberAnswer(user.text(), role.name().toLowerCase(java.util.Locale.ROOT), label));
        });
        return new GroupAnswer(g.id(), g.state().name(), g.state().epoch(), members, g.membership(), g.member(),
                g.admin(), latest);
    }

    /** A group message as the message routes answer it: {@code contact} is its sender. */
    static MessageAnswer message(GroupText t, String self) {
        return message(t, self, List.of());
    }

    /**
     * A group message with, if it is ours, the members that told they hold it ({@code deliveredTo});
     * its state stays {@code sent}: how many members a group message reached is that list's size.
     */
    static MessageAnswer message(GroupText t, String self, List<org.parley.chat.identity.UserId> deliveredTo) {
        boolean outgoing = t.sender().text().equals(self);
        return new MessageAnswer(t.id().toString(), t.sender().text(), outgoing ? "outgoing" : "incoming",
                t.timestamp().physicalMillis(), t.timestamp().counter(), t.text(), outgoing ? "sent" : "received", null,
                null, outgoing ? deliveredTo.stream().map(org.parley.chat.identity.UserId::text).toList() : null);
    }
}
