import { Field } from '../../components/Field.js';
import {
  initialValue,
  type FieldValues,
  type FormErrors,
  type FormValue,
  type SchemaField,
  type SchemaNode,
} from '../../lib/json-schema-form.js';
import './explorer.css';

interface SchemaFormProps {
  fields: SchemaField[];
  values: FieldValues;
  /** Keyed by path ("entities/0/name"). */
  errors: FormErrors;
  onChange(name: string, value: FormValue): void;
  /** What to say when there is nothing to fill in. */
  empty?: string;
}

const text = (value: FormValue | undefined) => (typeof value === 'string' ? value : '');
const pathOf = (parent: string, key: string | number) => (parent ? `${parent}/${key}` : String(key));

function kindLabel(node: SchemaNode): string {
  if (node.kind === 'array') return `${kindLabel(node.item)}[]`;
  if (node.kind === 'json') return 'JSON';
  if (node.kind === 'object') return 'object';
  return node.kind === 'string' && 'format' in node && node.format ? `string · ${node.format}` : node.kind;
}

interface ControlProps {
  node: SchemaNode;
  required: boolean;
  value: string;
  onChange(v: string): void;
  /** id and aria-* from <Field>, passed on to the element. */
  [aria: string]: unknown;
}

function Control({ node, required, value, onChange, ...a11y }: ControlProps) {
  switch (node.kind) {
    case 'boolean':
      return required ? (
        <input
          {...a11y}
          type="checkbox"
          checked={value === 'true'}
          onChange={(e) => onChange(String(e.target.checked))}
        />
      ) : (
        <select {...a11y} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">(not set)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case 'enum':
      return (
        <select {...a11y} value={value} onChange={(e) => onChange(e.target.value)}>
          {!required && <option value="">(not set)</option>}
          {node.options.map((o) => (
            <option key={o} value={o}>
              {String(JSON.parse(o))}
            </option>
          ))}
        </select>
      );
    case 'number':
    case 'integer':
      return (
        <input
          {...a11y}
          inputMode={node.kind === 'integer' ? 'numeric' : 'decimal'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'json':
      return (
        <textarea
          {...a11y}
          rows={4}
          value={value}
          placeholder="JSON"
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    default:
      return node.kind === 'string' && node.multiline ? (
        <textarea {...a11y} rows={3} value={value} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...a11y}
          type={node.kind === 'string' && node.format === 'email' ? 'email' : 'text'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          spellCheck={false}
        />
      );
  }
}

interface NodeProps {
  node: SchemaNode;
  label: string;
  required: boolean;
  path: string;
  value: FormValue | undefined;
  errors: FormErrors;
  onChange(value: FormValue): void;
}

function Heading({ node, label, required }: Pick<NodeProps, 'node' | 'label' | 'required'>) {
  return (
    <>
      {label}{' '}
      <span className="muted small">
        {kindLabel(node)}
        {required ? ' · required' : ''}
      </span>
    </>
  );
}

/** An object: its fields in a bordered group. */
function ObjectNode({ node, label, required, path, value, errors, onChange }: NodeProps) {
  if (node.kind !== 'object') return null;
  const current = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  return (
    <fieldset className="schema-group" data-path={path}>
      <legend>
        <Heading node={node} label={label} required={required} />
      </legend>
      {node.description && <div className="muted small">{node.description}</div>}
      {errors[path] && <div className="field-error">{errors[path]}</div>}
      {node.fields.map((f) => (
        <SchemaNodeView
          key={f.name}
          node={f}
          label={f.label}
          required={f.required}
          path={pathOf(path, f.name)}
          value={current[f.name]}
          errors={errors}
          onChange={(v) => onChange({ ...current, [f.name]: v })}
        />
      ))}
    </fieldset>
  );
}

/** An array: one row per item (of any kind, objects too), each removable, and an Add button. */
function ArrayNode({ node, label, required, path, value, errors, onChange }: NodeProps) {
  if (node.kind !== 'array') return null;
  const items = Array.isArray(value) ? value : [];
  const set = (i: number, v: FormValue) => onChange(items.map((item, j) => (j === i ? v : item)));
  return (
    <fieldset className="schema-group" data-path={path}>
      <legend>
        <Heading node={node} label={label} required={required} />
      </legend>
      {node.description && <div className="muted small">{node.description}</div>}
      {errors[path] && <div className="field-error">{errors[path]}</div>}
      {items.length === 0 && <div className="muted small">No items.</div>}
      {items.map((item, i) => (
        <div key={i} className="schema-item">
          <div className="grow">
            <SchemaNodeView
              node={node.item}
              label={`${label} ${i + 1}`}
              required
              path={pathOf(path, i)}
              value={item}
              errors={errors}
              onChange={(v) => set(i, v)}
            />
          </div>
          <button
            type="button"
            className="small"
            aria-label={`Remove ${label} ${i + 1}`}
            onClick={() => onChange(items.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="small" onClick={() => onChange([...items, initialValue(node.item, true)])}>
          Add {label} item
        </button>
      </div>
    </fieldset>
  );
}

function SchemaNodeView(props: NodeProps) {
  const { node, label, required, path, value, errors, onChange } = props;
  if (node.kind === 'object') return <ObjectNode {...props} />;
  if (node.kind === 'array') return <ArrayNode {...props} />;
  return (
    <Field
      label={<Heading node={node} label={label} required={required} />}
      hint={node.description}
      error={errors[path]}
    >
      <Control node={node} required={required} value={text(value)} onChange={onChange} />
    </Field>
  );
}

/** The inputs generated from a JSON Schema: nested objects and arrays, each with its description as the hint. */
export function SchemaForm({ fields, values, errors, onChange, empty }: SchemaFormProps) {
  if (fields.length === 0) return <p className="muted small">{empty ?? 'This tool takes no arguments.'}</p>;
  return (
    <div className="stack schema-form">
      {errors[''] && <div className="field-error">{errors['']}</div>}
      {fields.map((f) => (
        <SchemaNodeView
          key={f.name}
          node={f}
          label={f.label}
          required={f.required}
          path={f.name}
          value={values[f.name]}
          errors={errors}
          onChange={(v) => onChange(f.name, v)}
        />
      ))}
    </div>
  );
}
