package org.parley.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.chat.identity.ChatRendezvous;
import org.parley.chat.session.SafetyNumber;
import org.parley.libp2p.multiformats.Base58;
import org.parley.node.api.dto.ContactAnswer;
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
import org.parley.node.api.dto.SafetyNumberAnswer;
import org.parley.node.api.dto.SendRequest;
import org.parley.node.chat.ChatService;
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
 * their actions, safety numbers (and QR), sending texts and file links, history and conversations, translating to and
 * from {@link IdentityService} and {@link ChatService}. Where libsignal does not load, every one
 * answers 503 with the reason. Thread safe.
 */
public final class ChatRoutes implements ApiRoutes {

    private final IdentityService identities;
    private final ChatService chat;
    private final String unavailable;

    private ChatRoutes(IdentityService identities, ChatService chat, String unavailable) {
        this.identities = identities;
        this.chat = chat;
        this.unavailable = unavailable;
    }

    public static ChatRoutes of(IdentityService identities, ChatService chat) {
        return new ChatRoutes(identities, chat, null);
    }

    /** Routes that answer 503 with {@code reason}: chat could not start on this machine. */
    public static ChatRoutes unavailable(String reason) {
        return new ChatRoutes(null, null, reason);
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
        action(app, ApiPaths.CONTACTS_ACCEPT, chat == null ? null : chat::accept);
        action(app, ApiPaths.CONTACTS_DECLINE, chat == null ? null : chat::decline);
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
            StoredMessage sent = chat.send(identity(body), ApiJson.requiredText(body, ContactRequest.CONTACT),
                    ApiJson.requiredText(body, SendRequest.TEXT));
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
            List<StoredMessage> messages = chat.history(identity, reference, OptionalInt.of(limit));
            Contact c = findContact(identity, reference);
            ctx.json(new HistoryAnswer(chat.identity(identity).userId().text(), c.userId().text(),
                    messages.stream().map(ChatRoutes::message).toList()));
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
        return new ContactsAnswer(chat.identity(identity).userId().text(), list.stream().map(ChatRoutes::contact).toList());
    }

    private Contact findContact(Optional<String> identity, String reference) {
        return chat.find(identity, reference);
    }

    static ContactAnswer contact(Contact c) {
        return new ContactAnswer(c.userId().text(), c.name().orElse(null), c.displayName().orElse(null), c.label(),
                c.state().wireName(), c.intro().orElse(null), c.verified(), c.keyWarning());
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
