package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.chat.identity.ChatRendezvous;
import org.parley.chat.session.SafetyNumber;
import org.parley.libp2p.multiformats.Base58;
import org.parley.node.api.dto.ContactAnswer;
import org.parley.node.versions.ContactVersions;
import org.parley.node.versions.VersionStatus;
import org.parley.node.api.dto.ContactRequest;
import org.parley.node.api.dto.ContactsAnswer;
import org.parley.node.api.dto.ConversationAnswer;
import org.parley.node.api.dto.ConversationsAnswer;
import org.parley.node.api.dto.HistoryAnswer;
import org.parley.node.api.dto.HistoryRequest;
import org.parley.node.api.dto.IdentitiesAnswer;
import org.parley.node.api.dto.IdentityAnswer;
import org.parley.node.api.dto.IdentityRequest;
import org.parley.node.api.dto.MessageAnswer;
import org.parley.node.api.dto.ReadAnswer;
import org.parley.node.api.dto.ReadRequest;
import org.parley.node.api.dto.UnreadAnswer;
import org.parley.node.api.dto.SafetyNumberAnswer;
import org.parley.node.api.dto.SendRequest;
import org.parley.node.chat.ChatService;
import org.parley.node.chat.GroupService;
import org.parley.node.chat.StoredMessage;
import org.parley.files.link.FileLink;
import org.parley.files.link.InvalidFileLinkException;
import org.parley.node.api.dto.FileOfferAnswer;
import org.parley.node.api.dto.SendFileRequest;
import org.parley.node.contacts.Contact;
import org.parley.node.contacts.ContactState;
import org.parley.node.identity.IdentityService;
import org.parley.node.identity.LocalIdentity;
import org.parley.node.service.ServiceException;

/**
 * The chat endpoints: identities (list, create, retire, invite QR), contacts and requests with
 * their actions, safety numbers (and QR), sending texts and file links, history (paged back by
 * {@code before}), marking read, unread counts and conversations, translating to and
 * from {@link IdentityService} and {@link ChatService}. Where libsignal does not load, every one
 * answers 503 with the reason. Thread safe.
 */
public final class ChatRoutes implements ApiRoutes {

    private final IdentityService identities;
    private final ChatService chat;
    private final GroupService groups;
    private final String unavailable;
    private final ContactVersions versions;

    private ChatRoutes(IdentityService identities, ChatService chat, GroupService groups, String unavailable,
            ContactVersions versions) {
        this.identities = identities;
        this.chat = chat;
        this.groups = groups;
        this.unavailable = unavailable;
        this.versions = versions;
    }

    public static ChatRoutes of(IdentityService identities, ChatService chat) {
        return of(identities, chat, null, ContactVersions.NONE);
    }

    /**
     * The chat API, its contacts showing the client versions and warnings {@code versions} gives;
     * sending, history, accept and decline also take a group's id or name when {@code groups} is not null.
     */
    public static ChatRoutes of(IdentityService identities, ChatService chat, GroupService groups,
            ContactVersions versions) {
        return new ChatRoutes(identities, chat, groups, null, versions);
    }

    /** Routes that answer 503 with {@code reason}: chat could not start on this machine. */
    public static ChatRoutes unavailable(String reason) {
        return new ChatRoutes(null, null, null, reason, ContactVersions.NONE);
    }

    /** Whether {@code reference} names no contact but a group of the identity. */
    private boolean isGroup(Optional<String> identity, String reference) {
        if (groups == null || !groups.names(identity, reference)) {
            return false;
        }
        try {
            chat.find(identity, reference);
            return false;
        } catch (ServiceException e) {
            return true;
        }
    }

    @Override
    public void addTo(Javalin app) {
        app.get(ApiPaths.IDENTITIES, ctx -> ctx.json(identities()));
        app.post(ApiPaths.IDENTITIES, ctx -> {
            require();
            LocalIdentity created = identities.create(ApiJson.requiredText(ApiJson.body(ctx), IdentityRequest.NAME));
            ctx.json(identity(created, false));
        });
        app.post(ApiPaths.IDENTITIES_NAME, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            LocalIdentity renamed = identities.rename(Optional.ofNullable(ApiJson.optionalText(body, IdentityRequest.IDENTITY)),
                    ApiJson.requiredText(body, IdentityRequest.NAME));
            ctx.json(identity(renamed, identities.active().stream().findFirst()
                    .filter(first -> first.rowId() == renamed.rowId()).isPresent()));
        });
        app.post(ApiPaths.IDENTITIES_RETIRE, ctx -> {
            require();
            ctx.json(identity(identities.retire(ApiJson.requiredText(ApiJson.body(ctx), IdentityRequest.IDENTITY)), false));
        });
        app.get(ApiPaths.IDENTITY_QR, ctx -> {
            require();
            LocalIdentity identity = identities.resolve(query(ctx, IdentityRequest.IDENTITY));
            svg(ctx, QrSvg.of(identities.invite(identity).format()));
        });
        app.get(ApiPaths.CONTACTS, ctx -> ctx.json(contacts(ctx, false)));
        app.get(ApiPaths.REQUESTS, ctx -> ctx.json(contacts(ctx, true)));
        app.post(ApiPaths.CONTACTS, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            ctx.json(contact(chat.add(identity(body), ApiJson.requiredText(body, ContactRequest.CONTACT),
                    Optional.ofNullable(ApiJson.optionalText(body, ContactRequest.INTRO)),
                    Optional.ofNullable(ApiJson.optionalText(body, ContactRequest.NAME)))));
        });
        app.post(ApiPaths.CONTACTS_ACCEPT, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            String reference = ApiJson.requiredText(body, ContactRequest.CONTACT);
            ctx.json(isGroup(identity(body), reference) ? invitation(groups.accept(identity(body), reference))
                    : contact(chat.accept(identity(body), reference)));
        });
        app.post(ApiPaths.CONTACTS_DECLINE, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            String reference = ApiJson.requiredText(body, ContactRequest.CONTACT);
            ctx.json(isGroup(identity(body), reference) ? invitation(groups.decline(identity(body), reference))
                    : contact(chat.decline(identity(body), reference)));
        });
        action(app, ApiPaths.CONTACTS_BLOCK, chat == null ? null : chat::block);
        action(app, ApiPaths.CONTACTS_UNBLOCK, chat == null ? null : chat::unblock);
        action(app, ApiPaths.CONTACTS_REMOVE, chat == null ? null : chat::remove);
        action(app, ApiPaths.CONTACTS_VERIFY, chat == null ? null : chat::verify);
        app.post(ApiPaths.SAFETY_NUMBER, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            Optional<String> identity = identity(body);
            String reference = ApiJson.requiredText(body, ContactRequest.CONTACT);
            SafetyNumber number = chat.safetyNumber(identity, reference);
            Contact c = findContact(identity, reference);
            ctx.json(new SafetyNumberAnswer(chat.identity(identity).userId().text(), c.userId().text(), number.digits(),
                    number.grouped(), c.verified()));
        });
        app.get(ApiPaths.SAFETY_NUMBER_QR, ctx -> {
            require();
            String reference = query(ctx, ContactRequest.CONTACT)
                    .orElseThrow(() -> ApiException.badRequest("missing query parameter 'contact'"));
            SafetyNumber number = chat.safetyNumber(query(ctx, IdentityRequest.IDENTITY), reference);
            svg(ctx, QrSvg.of(number.digits()));
        });
        app.post(ApiPaths.MESSAGES, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            String reference = ApiJson.requiredText(body, ContactRequest.CONTACT);
            if (isGroup(identity(body), reference)) {
                ctx.json(GroupRoutes.message(groups.send(identity(body), reference,
                        ApiJson.requiredText(body, SendRequest.TEXT)), chat.identity(identity(body)).userId().text()));
                return;
            }
            StoredMessage sent = chat.send(identity(body), reference, ApiJson.requiredText(body, SendRequest.TEXT));
            ctx.json(message(sent));
        });
        app.post(ApiPaths.MESSAGES_FILE, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            StoredMessage sent = chat.sendFile(identity(body), ApiJson.requiredText(body, ContactRequest.CONTACT),
                    ApiJson.requiredText(body, SendFileRequest.LINK));
            ctx.json(message(sent));
        });
        app.post(ApiPaths.HISTORY, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            Optional<String> identity = identity(body);
            String reference = ApiJson.requiredText(body, ContactRequest.CONTACT);
            int limit = ApiJson.optionalInt(body, HistoryRequest.LIMIT, ChatService.DEFAULT_HISTORY, 1,
                    ChatService.MAX_HISTORY);
            if (isGroup(identity, reference)) {
                String self = chat.identity(identity).userId().text();
                List<org.parley.chat.group.GroupText> texts = groups.history(identity, reference, limit);
                var delivered = groups.deliveredTo(identity, reference, texts);
                ctx.json(new HistoryAnswer(self, groups.find(identity, reference).id(), texts.stream()
                        .map(t -> GroupRoutes.message(t, self, delivered.getOrDefault(t.id(), List.of()))).toList()));
                return;
            }
            String before = ApiJson.optionalText(body, HistoryRequest.BEFORE);
            List<StoredMessage> messages = before == null
                    ? chat.history(identity, reference, OptionalInt.of(limit))
                    : chat.historyBefore(identity, reference, before, limit);
            Contact c = findContact(identity, reference);
            ctx.json(new HistoryAnswer(chat.identity(identity).userId().text(), c.userId().text(),
                    messages.stream().map(ChatRoutes::message).toList()));
        });
        app.post(ApiPaths.MESSAGES_READ, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            Optional<String> identity = identity(body);
            String reference = ApiJson.requiredText(body, ContactRequest.CONTACT);
            if (isGroup(identity, reference)) {
                int marked = groups.markReadUpTo(identity, reference, ApiJson.requiredText(body, ReadRequest.UP_TO));
                ctx.json(new ReadAnswer(chat.identity(identity).userId().text(), groups.find(identity, reference).id(),
                        marked));
                return;
            }
            int marked = chat.markReadUpTo(identity, reference, ApiJson.requiredText(body, ReadRequest.UP_TO));
            ctx.json(new ReadAnswer(chat.identity(identity).userId().text(), findContact(identity, reference).userId().text(),
                    marked));
        });
        app.get(ApiPaths.CONVERSATIONS_UNREAD, ctx -> {
            require();
            Optional<String> identity = query(ctx, IdentityRequest.IDENTITY);
            ctx.json(new UnreadAnswer(chat.identity(identity).userId().text(), chat.unreadCounts(identity),
                    groups == null ? Map.of() : groups.unreadCounts(identity)));
        });
        app.get(ApiPaths.CONVERSATIONS, ctx -> {
            require();
            Optional<String> identity = query(ctx, IdentityRequest.IDENTITY);
            List<ConversationAnswer> out = chat.contacts(identity).stream()
                    .filter(c -> c.state() == ContactState.ACCEPTED)
                    .map(c -> new ConversationAnswer(c.userId().text(), c.label(), chat.latest(identity, c)
                            .map(ChatRoutes::message).orElse(null)))
                    .toList();
            ctx.json(new ConversationsAnswer(chat.identity(identity).userId().text(), out));
        });
    }

    @FunctionalInterface
    private interface ContactAction {
        Contact apply(Optional<String> identity, String contact);
    }

    private void action(Javalin app, String path, ContactAction action) {
        app.post(path, ctx -> {
            require();
            JsonNode body = ApiJson.body(ctx);
            ctx.json(contact(action.apply(identity(body), ApiJson.requiredText(body, ContactRequest.CONTACT))));
        });
    }

    private IdentitiesAnswer identities() {
        require();
        List<LocalIdentity> all = identities.all();
        Optional<LocalIdentity> first = all.stream().filter(LocalIdentity::active).findFirst();
        return new IdentitiesAnswer(all.stream()
                .map(i -> identity(i, first.isPresent() && first.get().rowId() == i.rowId())).toList());
    }

    private IdentityAnswer identity(LocalIdentity i, boolean isDefault) {
        return new IdentityAnswer(i.userId().text(), i.displayName().orElse(null), identities.invite(i).format(),
                Base58.encode(ChatRendezvous.key(i.userId())), i.createdAt().toString(), !i.active(), isDefault);
    }

    private ContactsAnswer contacts(Context ctx, boolean requests) {
        require();
        Optional<String> identity = query(ctx, IdentityRequest.IDENTITY);
        List<Contact> list = requests ? chat.requests(identity) : chat.contacts(identity);
        String self = chat.identity(identity).userId().text();
        List<ContactAnswer> contacts = list.stream().map(this::contact).toList();
        if (!requests || groups == null) {
            return new ContactsAnswer(self, contacts);
        }
        GroupRoutes view = GroupRoutes.of(chat, groups);
        return new ContactsAnswer(self, contacts, groups.invitations(identity).stream()
                .map(g -> view.group(identity, g)).toList());
    }

    private Contact findContact(Optional<String> identity, String reference) {
        return chat.find(identity, reference);
    }

    /** A group invitation answered, in the shape of a contact answer: the group's name, id and membership. */
    private static ContactAnswer invitation(GroupService.GroupView g) {
        return new ContactAnswer(g.id(), g.state().name(), null, g.state().name(), g.membership(), null, false, false,
                null, null);
    }

    private ContactAnswer contact(Contact c) {
        VersionStatus version = versions.of(c);
        return new ContactAnswer(c.userId().text(), c.name().orElse(null), c.displayName().orElse(null), c.label(),
                c.state().wireName(), c.intro().orElse(null), c.verified(), c.keyWarning(),
                version.clientVersion().orElse(null), version.warning().orElse(null));
    }

    static MessageAnswer message(StoredMessage m) {
        return new MessageAnswer(m.id().toString(), m.contact().text(), m.outgoing() ? "outgoing" : "incoming",
                m.time().physicalMillis(), m.time().counter(), m.text(), m.state().wireName(), m.failure().orElse(null),
                m.fileLink().map(ChatRoutes::fileOffer).orElse(null));
    }

    private static FileOfferAnswer fileOffer(String link) {
        try {
            FileLink parsed = FileLink.parse(link);
            return new FileOfferAnswer(link, parsed.name(), parsed.size());
        } catch (InvalidFileLinkException e) {
            return new FileOfferAnswer(link, "", 0); // checked before it was kept; cannot happen
        }
    }

    private static Optional<String> identity(JsonNode body) {
        return Optional.ofNullable(ApiJson.optionalText(body, ContactRequest.IDENTITY));
    }

    private static Optional<String> query(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isBlank());
    }

    private static void svg(Context ctx, String svg) {
        ctx.contentType("image/svg+xml").result(svg);
    }

    private void require() {
        if (unavailable != null) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, unavailable);
        }
    }
}
