import { useMemo, useState, type FormEvent } from 'react';
import type { ServerDefinition } from '../../../../shared/server-definition.js';
import { useServers, useStores, useUi } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/feedback.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../components/use-action.js';
import { emptyForm, formFromDefinition, validateForm, type ServerForm } from '../../lib/server-form-model.js';
import { CommandFound, CommandLineAssist, useCommandCheck } from './CommandAssist.js';
import { looksLikeCommandLine, parseCommandLine } from './command-line.js';
import { EnvEditor } from './EnvEditor.js';
import { ListEditor } from './ListEditor.js';
import { OptionsFields } from './OptionsFields.js';

/** Add a server, or edit one (`name` set). Validates with the engine's schema on every keystroke. */
/** `draft`: a new server's values filled in elsewhere (the catalog), for the user to check and save. */
export function ServerFormDialog({ name, draft }: { name?: string; draft?: ServerDefinition }) {
  const existing = useServers((s) => (name ? s.byName[name] : undefined));
  const { add, update } = useStores().servers.getState();
  const closeDialog = useUi((s) => s.closeDialog);
  const [form, setForm] = useState<ServerForm>(() =>
    existing ? formFromDefinition(existing.definition) : draft ? formFromDefinition(draft) : emptyForm(),
  );
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const save = useAction();
  const names = useServers((s) => s.names);
  const platform = useServers((s) => s.appInfo?.platform ?? 'linux');
  const { input, errors: formErrors } = useMemo(() => validateForm(form), [form]);
  // Checked as the user types, not after a failed save: a name in use, and whether the command exists.
  const errors = useMemo(() => {
    const taken = !name && names.includes(form.name.trim());
    return taken ? { ...formErrors, name: `A server named "${form.name.trim()}" already exists.` } : formErrors;
  }, [formErrors, names, name, form.name]);
  const envObject = useMemo(
    () => Object.fromEntries(form.env.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value])),
    [form.env],
  );
  const commandCheck = useCommandCheck(form.command, envObject, form.cwd);

  const change = <K extends keyof ServerForm>(key: K, value: ServerForm[K], field: string = key) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  };
  /** A command line split (or wrapped in a shell): its words go before the arguments already listed. */
  const applyCommand = (command: string, args: string[], replaceArgs = false) => {
    setForm((f) => ({ ...f, command, args: replaceArgs ? args : [...args, ...f.args.filter((a) => a !== '')] }));
    setTouched((t) => new Set(t).add('command').add('args'));
  };
  /** A whole command line without shell syntax, as command and arguments; null when it is not one. */
  const splitOf = (text: string) => {
    if (!looksLikeCommandLine(text)) return null;
    const parsed = parseCommandLine(text.trim());
    return parsed.ok && parsed.shellSyntax.length === 0 && parsed.words.length > 0 ? parsed.words : null;
  };
  /** Errors show once a field was changed, and all of them after a Save attempt. */
  const err = (field: string) => (submitted || touched.has(field) ? errors[field] : undefined);
  const problems = Object.keys(errors).length;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    const words = splitOf(form.command);
    if (words) {
      // Saved as typed it could never start ("`npx -y …` does not exist"): split it first, then save that.
      const [command, ...rest] = words;
      const split = { ...form, command: command!, args: [...rest, ...form.args.filter((a) => a !== '')] };
      setForm(split);
      const checked = validateForm(split);
      if (Object.keys(checked.errors).length > 0 || errors.name) return;
      const ok = await save.run(() => (name ? update(name, checked.input) : add(checked.input)));
      if (ok) closeDialog();
      return;
    }
    if (problems > 0) return;
    const ok = await save.run(() => (name ? update(name, input) : add(input)));
    if (ok) closeDialog();
  };

  return (
    <Dialog
      title={name ? `Edit ${name}` : 'Add a server'}
      onClose={closeDialog}
      testId="server-form"
      footer={
        <>
          {submitted && problems > 0 && (
            <span className="field-error" role="alert">
              Fix {problems === 1 ? 'the marked field' : `the ${problems} marked fields`} first.
            </span>
          )}
          <span className="spacer" />
          <button type="button" onClick={closeDialog}>
            Cancel
          </button>
          <button type="submit" form="server-form" className="primary" disabled={save.pending}>
            {name ? 'Save' : 'Add server'}
          </button>
        </>
      }
    >
      <form id="server-form" className="stack" onSubmit={(e) => void onSubmit(e)} noValidate>
        <div className="grid-2">
          <Field
            label="Name"
            error={err('name')}
            hint={
              name
                ? 'The name is the server’s address; it cannot change.'
                : 'Letters, digits, -, _ and . — it becomes part of the URL.'
            }
          >
            <input
              value={form.name}
              readOnly={Boolean(name)}
              autoFocus={!name}
              onChange={(e) => change('name', e.target.value)}
              spellCheck={false}
            />
          </Field>
          <Field
            label="Command"
            error={err('command')}
            hint={
              commandCheck.status === 'idle' ? (
                'The program to run, e.g. npx, node, uvx or an absolute path; or paste a whole command line.'
              ) : (
                <CommandFound state={commandCheck} />
              )
            }
          >
            <input
              className="mono"
              value={form.command}
              onChange={(e) => change('command', e.target.value)}
              onPaste={(e) => {
                // A pasted command line becomes command and arguments at once (quotes honoured).
                const words = splitOf(e.clipboardData.getData('text'));
                if (!words || form.command.trim() !== '') return;
                e.preventDefault();
                applyCommand(words[0]!, words.slice(1));
              }}
              spellCheck={false}
              placeholder="npx"
            />
          </Field>
        </div>
        <CommandLineAssist command={form.command} platform={platform} apply={applyCommand} />
        <div className="field">
          <span className="field-label">Arguments</span>
          <ListEditor
            label="Arguments"
            itemName="argument"
            items={form.args}
            onChange={(args) => change('args', args)}
            addLabel="Add argument"
            placeholder="-y"
          />
          {err('args') && <div className="field-error">{err('args')}</div>}
        </div>
        <div className="field">
          <span className="field-label">Environment</span>
          <EnvEditor rows={form.env} onChange={(env) => change('env', env)} editing={Boolean(name)} />
          {err('env') && <div className="field-error">{err('env')}</div>}
        </div>
        <Field label="Working directory" error={err('cwd')} hint="Optional; an absolute path.">
          <input
            className="mono"
            value={form.cwd}
            onChange={(e) => change('cwd', e.target.value)}
            spellCheck={false}
            placeholder="/home/me/project"
          />
        </Field>
        <div className="row wrap" style={{ gap: '1.5rem' }}>
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => change('enabled', e.target.checked)} />{' '}
            Enabled
          </label>
          <label className="check">
            <input type="checkbox" checked={form.autostart} onChange={(e) => change('autostart', e.target.checked)} />{' '}
            Start when Switchboard starts
            <span className="muted small">(otherwise on the first client request)</span>
          </label>
        </div>
        <OptionsFields
          form={form}
          change={change}
          err={err}
          showErrors={submitted && Object.keys(errors).some((k) => k.startsWith('options'))}
        />
        {errors.form && <ErrorText message={errors.form} />}
        <ErrorText title={name ? 'Could not save' : 'Could not add the server'} message={save.error} />
      </form>
    </Dialog>
  );
}
