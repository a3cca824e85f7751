import { lazy, Suspense } from 'react';
import { useUi } from '../../app-context.js';
import { LoadBoundary } from '../../components/LoadBoundary.js';
import type { Dialog } from '../../stores/ui-store.js';
import { RemoveDialog } from './RemoveDialog.js';

// The form and the import preview carry the definition schema (zod) with them: loaded when first opened.
const ServerFormDialog = lazy(() => import('./ServerFormDialog.js').then((m) => ({ default: m.ServerFormDialog })));
const ImportDialog = lazy(() => import('../import/ImportDialog.js').then((m) => ({ default: m.ImportDialog })));

/** The one open dialog, if any (they are modal, so there is never more than one). */
export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  return (
    <LoadBoundary what="This dialog">
      <Suspense fallback={null}>
        <OpenDialog dialog={dialog} />
      </Suspense>
    </LoadBoundary>
  );
}

function OpenDialog({ dialog }: { dialog: Dialog }) {
  switch (dialog.kind) {
    case 'add':
      return <ServerFormDialog draft={dialog.draft} />;
    case 'edit':
      return <ServerFormDialog key={dialog.name} name={dialog.name} />;
    case 'remove':
      return <RemoveDialog name={dialog.name} />;
    case 'import':
      return <ImportDialog initial={dialog.source} />;
  }
}
