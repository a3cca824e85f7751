import { Field } from '../../components/Field.js';
import type { FieldValue, FieldValues, SchemaField } from '../../lib/json-schema-form.js';
import { ListEditor } from '../servers/ListEditor.js';

interface SchemaFormProps {
  fields: SchemaField[];
  values: FieldValues;
  errors: Record<string, string>;
  onChange(name: string, value: FieldValue): void;
}

interface ControlProps {
  field: SchemaField;
  value: FieldValue;
  onChange(v: FieldValue): void;
  /** id and aria-* from <Field>, passed on to the element. */
  [aria: string]: unknown;
}

function Control({ field, value, onChange, ...a11y }: ControlProps) {
  const text = Array.isArray(value) ? value.join('\n') : value;
  switch (field.kind) {
    case 'boolean':
      return field.required ? (
        <input
          {...a11y}
          type="checkbox"
          checked={text === 'true'}
          onChange={(e) => onChange(String(e.target.checked))}
        />
      ) : (
        <select {...a11y} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">(not set)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case 'enum':
      return (
        <select {...a11y} value={text} onChange={(e) => onChange(e.target.value)}>
          {!field.required && <option value="">(not set)</option>}
          {field.options!.map((o) => (
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
          inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'json':
      return (
        <textarea
          {...a11y}
          rows={4}
          value={text}
          placeholder="JSON"
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    default:
      return field.multiline ? (
        <textarea {...a11y} rows={3} value={text} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...a11y} value={text} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
      );
  }
}

const kindLabel = (f: SchemaField) => (f.kind === 'array' ? `${f.itemKind}[]` : f.kind === 'json' ? 'JSON' : f.kind);

/** The inputs generated from a tool's JSON Schema: one per property, with its description as the hint. */
export function SchemaForm({ fields, values, errors, onChange }: SchemaFormProps) {
  if (fields.length === 0) return <p className="muted small">This tool takes no arguments.</p>;
  return (
    <div className="stack schema-form">
      {fields.map((field) =>
        field.kind === 'array' ? (
          <div key={field.name} className="field">
            <span className="field-label">
              {field.label}{' '}
              <span className="muted small">
                {kindLabel(field)}
                {field.required ? ' · required' : ''}
              </span>
            </span>
            <ListEditor
              label={field.label}
              itemName={`${field.label} item`}
              items={Array.isArray(values[field.name]) ? (values[field.name] as string[]) : []}
              onChange={(items) => onChange(field.name, items)}
              addLabel="Add item"
            />
            {field.description && <div className="muted small">{field.description}</div>}
            {errors[field.name] && <div className="field-error">{errors[field.name]}</div>}
          </div>
        ) : (
          <Field
            key={field.name}
            label={
              <>
                {field.label}{' '}
                <span className="muted small">
                  {kindLabel(field)}
                  {field.required ? ' · required' : ''}
                </span>
              </>
            }
            hint={field.description}
            error={errors[field.name]}
          >
            <Control field={field} value={values[field.name] ?? ''} onChange={(v) => onChange(field.name, v)} />
          </Field>
        ),
      )}
    </div>
  );
}
