import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard.js';

/** Copies `text`; says whether it worked, for two seconds. */
export function CopyButton({
  text,
  label = 'Copy',
  className = 'small',
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className={className}
      onClick={() => void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'))}
      aria-live="polite"
    >
      {state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed: select and press Ctrl+C' : label}
    </button>
  );
}
