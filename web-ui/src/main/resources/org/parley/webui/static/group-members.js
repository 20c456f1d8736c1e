// <parley-group-members>: the members of an open group with their roles, and what may be done
// with them: an admin adds a contact, removes or promotes a member and renames the group; anyone
// leaves. For a member who is not an admin those controls are absent, and a note says who can.
// Each change answers with the group as the node now has it, passed up as a 'group-changed' event.
import { LitElement, html, css } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { shared } from './styles.js';
import { sentence, postJson } from './api.js';

export class GroupMembers extends LitElement {
  static properties = {
    /** The group as GET /api/groups gives it. */
    group: { attribute: false },
    /** Accepted contacts ({contact, label}), the ones that can be added. */
    contacts: { attribute: false },
    /** This user's ID, shown as "you" among the members. */
    self: { attribute: false },
    problem: { state: true },
    busy: { state: true },
    leaving: { state: true },
  };

  static styles = [shared, css`
    ul.members { list-style: none; padding: 0; margin: 0 0 0.75rem; display: grid; gap: 0.4rem; }
    ul.members li { display: flex; flex-wrap: wrap; gap: 0.3rem 0.6rem; align-items: center; }
    .who { font-weight: 600; overflow-wrap: anywhere; }
    .role { font-size: 0.8rem; color: var(--parley-muted); }
    form { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: end; margin: 0.5rem 0; }
    label { display: block; font-size: 0.85rem; width: 100%; }
    input, select { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid var(--parley-border); border-radius: 6px;
      min-width: 0; max-width: 100%; }
    .problem { color: var(--parley-error-fg); margin: 0.4rem 0 0; }
    .problem:empty { display: none; }
  `];

  constructor() {
    super();
    this.group = null;
    this.contacts = [];
    this.problem = '';
    this.busy = false;
    this.leaving = false;
  }

  willUpdate(changed) {
    if (changed.has('group') && changed.get('group')?.groupId !== this.group?.groupId) {
      this.problem = '';
      this.leaving = false;
    }
  }

  /** Posts a group change; the answer (the changed group) goes up, a refusal shows here. */
  async change(path, body, failure) {
    this.busy = true;
    try {
      const group = await postJson(path, { group: this.group.groupId, ...body });
      this.problem = '';
      this.dispatchEvent(new CustomEvent('group-changed', { detail: group, bubbles: true, composed: true }));
      return true;
    } catch (error) {
      this.problem = `${failure}: ${sentence(error.message)}`;
      return false;
    } finally {
      this.busy = false;
    }
  }

  label(member) {
    if (member.userId === this.self) {
      return 'You';
    }
    return member.label ?? member.userId;
  }

  async add(event) {
    event.preventDefault();
    const member = event.target.elements.member.value;
    if (!member) {
      this.problem = 'Choose a contact to add.';
      return;
    }
    await this.change('/api/groups/add', { member }, 'Could not add them');
  }

  async rename(event) {
    event.preventDefault();
    const input = event.target.elements.name;
    const name = input.value.trim();
    if (!name) {
      this.problem = 'Type the group\'s new name.';
      return;
    }
    if (await this.change('/api/groups/rename', { name }, 'Could not rename the group')) {
      input.value = '';
    }
  }

  render() {
    const group = this.group;
    if (!group) {
      return '';
    }
    const members = new Set(group.members.map((m) => m.userId));
    const addable = this.contacts.filter((c) => !members.has(c.contact));
    const admins = group.members.filter((m) => m.role === 'admin').map((m) => this.label(m));
    return html`
      <h3 id="members-title">Members <span class="muted">(${group.members.length})</span></h3>
      <ul class="members" aria-labelledby="members-title">${repeat(group.members, (m) => m.userId, (m) => html`
        <li data-user-id=${m.userId}>
          <span class="who">${this.label(m)}</span>
          <span class="role">${m.role === 'admin' ? 'admin' : 'member'}</span>
          ${group.admin && group.member && m.userId !== this.self ? html`
            ${m.role !== 'admin' ? html`<button type="button" ?disabled=${this.busy}
              @click=${() => this.change('/api/groups/promote', { member: m.userId }, 'Could not make them an admin')}
              aria-label="Make ${this.label(m)} an admin">Make admin</button>` : ''}
            <button type="button" ?disabled=${this.busy}
              @click=${() => this.change('/api/groups/remove', { member: m.userId }, 'Could not remove them')}
              aria-label="Remove ${this.label(m)} from the group">Remove</button>` : ''}
        </li>`)}
      </ul>
      ${!group.member ? html`<p class="muted">You are no longer a member of this group.</p>`
        : group.admin ? html`
        <form @submit=${this.add} novalidate>
          <label for="add-member">Add a contact to the group</label>
          <select id="add-member" name="member" ?disabled=${this.busy || addable.length === 0}>
            ${addable.length === 0 ? html`<option value="">Every contact is in it already</option>` : ''}
            ${addable.map((c) => html`<option value=${c.contact}>${c.label}</option>`)}
          </select>
          <button type="submit" ?disabled=${this.busy || addable.length === 0}>Add</button>
        </form>
        <form @submit=${this.rename} novalidate>
          <label for="group-rename">New name for the group</label>
          <input id="group-rename" name="name" autocomplete="off" ?disabled=${this.busy}>
          <button type="submit" ?disabled=${this.busy}>Rename</button>
        </form>`
        : html`<p class="muted" id="admin-note">Only an admin can add, remove or promote members or rename the group${
          admins.length ? ` (here: ${admins.join(', ')})` : ''}.</p>`}
      ${group.member ? html`<div>${this.leaving ? html`
          <span>Leave ${group.name}? You will get no more of its messages.</span>
          <button type="button" ?disabled=${this.busy}
            @click=${() => this.change('/api/groups/leave', {}, 'Could not leave the group')}>Yes, leave the group</button>
          <button type="button" @click=${() => { this.leaving = false; }}>Stay</button>`
        : html`<button type="button" @click=${() => { this.leaving = true; }}>Leave the group</button>`}</div>` : ''}
      <p class="problem" id="group-problem" role="alert">${this.problem}</p>`;
  }
}
customElements.define('parley-group-members', GroupMembers);
