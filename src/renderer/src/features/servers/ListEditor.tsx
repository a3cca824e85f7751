interface ListEditorProps {
  label: string;
  items: string[];
  onChange(items: string[]): void;
  addLabel: string;
  placeholder?: string;
  /** Used in accessible names: "argument 2". */
  itemName: string;
}

/** An ordered list of strings: edit, move up or down, remove, add. Each item is one argument, never split. */
export function ListEditor({ label, items, onChange, addLabel, placeholder, itemName }: ListEditorProps) {
  const set = (index: number, value: string) => onChange(items.map((item, i) => (i === index ? value : item)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...items];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  return (
    <div className="list-editor" role="group" aria-label={label}>
      {items.map((item, index) => (
        <div key={index} className="row list-row">
          <span className="muted small list-index">{index + 1}</span>
          <input
            className="mono grow"
            value={item}
            placeholder={placeholder}
            aria-label={`${itemName} ${index + 1}`}
            onChange={(e) => set(index, e.target.value)}
          />
          <button
            type="button"
            className="small"
            disabled={index === 0}
            onClick={() => move(index, -1)}
            aria-label={`Move ${itemName} ${index + 1} up`}
          >
            ↑
          </button>
          <button
            type="button"
            className="small"
            disabled={index === items.length - 1}
            onClick={() => move(index, 1)}
            aria-label={`Move ${itemName} ${index + 1} down`}
          >
            ↓
          </button>
          <button
            type="button"
            className="small danger"
            onClick={() => onChange(items.filter((_, i) => i !== index))}
            aria-label={`Remove ${itemName} ${index + 1}`}
          >
            ✕
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="small" onClick={() => onChange([...items, ''])}>
          {addLabel}
        </button>
      </div>
    </div>
  );
}
