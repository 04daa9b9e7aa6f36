import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import * as api from './api.ts';

/**
 * The partner portal (SPEC §18): sign in, upload with a preview, history, errors, downloads,
 * approvals. Every view is plain HTML controls (keyboard first), moves focus to its heading when it
 * opens, and reports what happened in a live region.
 */

type View = 'upload' | 'history' | 'downloads' | 'approvals' | 'errors';
const VIEWS: { view: View; label: string }[] = [
  { view: 'upload', label: 'Upload' },
  { view: 'history', label: 'History' },
  { view: 'downloads', label: 'Downloads' },
  { view: 'approvals', label: 'Approvals' },
];

function message(error: unknown): string {
  return error instanceof api.ApiError ? error.message : 'Something went wrong. Try again.';
}

function useHash(): [string, (h: string) => void] {
  const [hash, setHash] = useState(location.hash.slice(2) || 'upload');
  useEffect(() => {
    const on = () => setHash(location.hash.slice(2) || 'upload');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return [hash, (h) => (location.hash = `#/${h}`)];
}

function Heading({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return html`<h2 tabindex="-1" ref=${ref}>${children}</h2>`;
}

function Problem({ text }: { text?: string }) {
  return text ? html`<p class="error" role="alert">${text}</p>` : null;
}

function SignIn({ onDone }: { onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [session, setSession] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      if (session) {
        await api.newPassword(email, session, password);
        onDone();
        return;
      }
      const result = await api.signIn(email, password);
      if (result.session) {
        setSession(result.session);
        setPassword('');
      } else onDone();
    } catch (err) {
      setError(message(err));
    }
  };
  return html`<main>
    <${Heading}>${session ? 'Choose a new password' : 'Sign in'}<//>
    ${session ? html`<p>This is your first sign-in: choose your own password (at least 12 characters with upper and lower case letters, a digit and a symbol).</p>` : null}
    <form onSubmit=${submit}>
      <label for="email">Email</label>
      <input id="email" type="email" autocomplete="username" required value=${email} readonly=${Boolean(session)} onInput=${(e: Event) => setEmail((e.target as HTMLInputElement).value)} />
      <label for="password">${session ? 'New password' : 'Password'}</label>
      <input id="password" type="password" autocomplete=${session ? 'new-password' : 'current-password'} required value=${password} onInput=${(e: Event) => setPassword((e.target as HTMLInputElement).value)} />
      <button type="submit">${session ? 'Set password and sign in' : 'Sign in'}</button>
    </form>
    <${Problem} text=${error} />
  </main>`;
}

function ErrorsTable({ uploadId }: { uploadId: string }) {
  const [errors, setErrors] = useState<api.ErrorsBody | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api.errorsOf(uploadId).then(setErrors, (err) => setError(message(err)));
  }, [uploadId]);
  const downloadCsv = async () => {
    try {
      const csv = await api.errorsCsv(uploadId);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      link.download = `errors-${uploadId}.csv`;
      link.click();
    } catch (err) {
      setError(message(err));
    }
  };
  if (error) return html`<${Problem} text=${error} />`;
  if (!errors) return html`<p role="status">Loading the error report…</p>`;
  return html`<div>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Error report"><table>
      <caption>Error report (${errors.errors.length} lines)</caption>
      <thead><tr>${errors.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${errors.errors.map((row) => html`<tr>${errors.columns.map((c) => html`<td>${row[c]}</td>`)}</tr>`)}</tbody>
    </table></div>
    <button type="button" class="secondary" onClick=${downloadCsv}>Download the report as CSV</button>
  </div>`;
}

function Upload({ me }: { me: api.MeBody }) {
  const [folder, setFolder] = useState(me.uploadFolders[0]?.folder ?? '');
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [status, setStatus] = useState('');
  const [staged, setStaged] = useState<string | undefined>();
  const [result, setResult] = useState<api.UploadRowBody | undefined>();
  const [error, setError] = useState<string | undefined>();
  const kind = me.uploadFolders.find((f) => f.folder === folder)?.kind;
  const run = async (action: 'preview' | 'confirm') => {
    if (!file) return setError('Choose a file first.');
    setError(undefined);
    setResult(undefined);
    try {
      let id = staged;
      if (!id) {
        setStatus('Uploading…');
        id = await api.stage(folder, file, setProgress);
        setStaged(id);
      }
      setStatus(action === 'preview' ? 'Checking the file (nothing is changed)…' : 'Importing…');
      const sent = await api.send(id, action);
      const row = await api.settled(sent.uploadId);
      setResult(row);
      setStatus(action === 'preview' ? `Preview: ${row.status}` : `Import: ${row.status}`);
      if (action === 'confirm') setStaged(undefined);
    } catch (err) {
      setStatus('');
      setError(message(err));
    }
  };
  return html`<main>
    <${Heading}>Upload a file<//>
    <label for="folder">What is it?</label>
    <select id="folder" value=${folder} onChange=${(e: Event) => (setFolder((e.target as HTMLSelectElement).value), setStaged(undefined))}>
      ${me.uploadFolders.map((f) => html`<option value=${f.folder}>${f.label}</option>`)}
    </select>
    <label for="file">File (CSV)</label>
    <input id="file" type="file" accept=".csv,.txt,.pgp,.gpg" onChange=${(e: Event) => (setFile((e.target as HTMLInputElement).files?.[0]), setStaged(undefined), setResult(undefined))} />
    ${kind === 'census' ? html`<button type="button" onClick=${() => run('preview')}>Preview</button>` : null}
    <button type="button" class=${kind === 'census' ? 'secondary' : ''} onClick=${() => run('confirm')}>Import</button>
    ${progress !== undefined && progress < 1 ? html`<label for="progress">Upload progress</label><progress id="progress" max="1" value=${progress}></progress>` : null}
    <p class="status" role="status" aria-live="polite">${status}</p>
    <${Problem} text=${error} />
    ${result ? html`<p>${result.rowsRead ?? 0} rows read, ${result.rowsApplied ?? 0} applied, ${result.rowsRejected ?? 0} rejected.</p>` : null}
    ${result?.hasErrors || result?.status === 'Validated' ? html`<${ErrorsTable} uploadId=${result.uploadId} />` : null}
  </main>`;
}

function History({ open }: { open: (id: string) => void }) {
  const [rows, setRows] = useState<api.UploadRowBody[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api.uploads().then(setRows, (err) => setError(message(err)));
  }, []);
  return html`<main>
    <${Heading}>Upload history<//>
    <${Problem} text=${error} />
    ${
      rows
        ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Upload history"><table>
      <caption>Your last ${rows.length} uploads, newest first</caption>
      <thead><tr><th scope="col">File</th><th scope="col">Received</th><th scope="col">Status</th><th scope="col">Source</th><th scope="col">By</th><th scope="col">Errors</th></tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr>
          <td>${r.fileName}</td><td>${r.receivedAt.replace('T', ' ').slice(0, 19)}</td><td>${r.status}</td><td>${r.source}</td><td>${r.author}</td>
          <td>${r.hasErrors ? html`<button type="button" class="secondary" onClick=${() => open(r.uploadId)} aria-label=${`Errors of ${r.fileName}`}>Errors</button>` : '—'}</td>
        </tr>`,
      )}</tbody>
    </table></div>`
        : html`<p role="status">Loading…</p>`
    }
  </main>`;
}

function Downloads() {
  const [files, setFiles] = useState<api.DownloadBody[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api.downloads().then(setFiles, (err) => setError(message(err)));
  }, []);
  const get = async (id: string) => {
    try {
      location.assign((await api.downloadLink(id)).url);
    } catch (err) {
      setError(message(err));
    }
  };
  return html`<main>
    <${Heading}>Downloads<//>
    <${Problem} text=${error} />
    ${
      files
        ? files.length === 0
          ? html`<p>No files yet.</p>`
          : html`<ul>${files.map(
              (f) =>
                html`<li><button type="button" class="secondary" onClick=${() => get(f.id)}>Download ${f.name}</button> (${f.kind}, ${Math.ceil(f.size / 1024)} KiB)</li>`,
            )}</ul>`
        : html`<p role="status">Loading…</p>`
    }
  </main>`;
}

function Approvals() {
  const [list, setList] = useState<api.ApprovalBody[] | undefined>();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();
  const load = () => api.approvals().then(setList, (err) => setError(message(err)));
  useEffect(() => void load(), []);
  const decide = async (id: string, decision: 'approve' | 'decline') => {
    try {
      await api.decide(id, decision);
      setStatus(decision === 'approve' ? `Approved: the removals of ${id} are being applied.` : `Declined: everyone in ${id} is kept.`);
      await load();
    } catch (err) {
      setError(message(err));
    }
  };
  return html`<main>
    <${Heading}>Pending approvals<//>
    <p class="status" role="status" aria-live="polite">${status}</p>
    <${Problem} text=${error} />
    ${
      list
        ? list.length === 0
          ? html`<p>Nothing waits for your approval.</p>`
          : html`<ul>${list.map(
              (a) => html`<li>
        <p><strong>${a.approvalId}</strong>: ${a.removals} ${a.removals === 1 ? 'person' : 'people'} would be removed (expires ${a.expiresAt.slice(0, 10)}).</p>
        <button type="button" onClick=${() => decide(a.approvalId, 'approve')} aria-label=${`Approve the removals of ${a.approvalId}`}>Approve</button>
        <button type="button" class="secondary" onClick=${() => decide(a.approvalId, 'decline')} aria-label=${`Decline the removals of ${a.approvalId}`}>Decline</button>
      </li>`,
            )}</ul>`
        : html`<p role="status">Loading…</p>`
    }
  </main>`;
}

function App() {
  const [signed, setSigned] = useState(api.signedIn());
  const [me, setMe] = useState<api.MeBody | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [hash, go] = useHash();
  useEffect(() => {
    if (signed) api.me().then(setMe, (err) => (setError(message(err)), setSigned(api.signedIn())));
  }, [signed]);
  const [view, arg] = hash.split('/') as [View, string | undefined];
  const header = html`<header>
    <h1>Benefits exchange${me ? ` — ${me.partnerId}` : ''}</h1>
    ${
      signed
        ? html`<nav aria-label="Portal"><ul>
      ${VIEWS.map((v) => html`<li><a href=${`#/${v.view}`} aria-current=${view === v.view ? 'page' : undefined}>${v.label}</a></li>`)}
      <li><a href="#/upload" onClick=${() => (api.signOut(), setSigned(false), setMe(undefined))}>Sign out</a></li>
    </ul></nav>`
        : null
    }
  </header>`;
  if (!signed) return html`${header}<${SignIn} onDone=${() => setSigned(true)} />`;
  if (!me) return html`${header}<main><${Problem} text=${error} /><p role="status">Loading…</p></main>`;
  const body =
    view === 'history'
      ? html`<${History} open=${(id: string) => go(`errors/${id}`)} />`
      : view === 'errors' && arg
        ? html`<main><${Heading}>Errors of the upload<//><${ErrorsTable} uploadId=${arg} /></main>`
        : view === 'downloads'
          ? html`<${Downloads} />`
          : view === 'approvals'
            ? html`<${Approvals} />`
            : html`<${Upload} me=${me} />`;
  return html`${header}${body}`;
}

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
