import { useUi } from '../../app-context.js';
import { ImportDialog } from '../import/ImportDialog.js';
import { RemoveDialog } from './RemoveDialog.js';
import { ServerFormDialog } from './ServerFormDialog.js';

/** The one open dialog, if any (they are modal, so there is never more than one). */
export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'add':
      return <ServerFormDialog />;
    case 'edit':
      return <ServerFormDialog key={dialog.name} name={dialog.name} />;
    case 'remove':
      return <RemoveDialog name={dialog.name} />;
    case 'import':
      return <ImportDialog initial={dialog.source} />;
  }
}
