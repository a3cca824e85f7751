import { useStores, useUi } from '../../app-context.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorText } from '../../components/feedback.js';
import { useAction } from '../../components/use-action.js';

export function RemoveDialog({ name }: { name: string }) {
  const { remove } = useStores().servers.getState();
  const { closeDialog, navigate } = useUi((s) => s);
  const action = useAction();
  const confirm = async () => {
    if (await action.run(() => remove(name))) {
      closeDialog();
      navigate({ page: 'servers' });
    }
  };
  return (
    <Dialog
      title={`Remove ${name}?`}
      size="narrow"
      onClose={closeDialog}
      testId="remove-dialog"
      footer={
        <>
          <button type="button" onClick={closeDialog} autoFocus>
            Cancel
          </button>
          <button type="button" className="danger solid" disabled={action.pending} onClick={() => void confirm()}>
            Remove
          </button>
        </>
      }
    >
      <p>
        Switchboard stops <strong>{name}</strong> if it is running and forgets its definition. Clients configured with
        its address will get errors. Its logs and traffic history stay until retention removes them.
      </p>
      <ErrorText title="Could not remove it" message={action.error} />
    </Dialog>
  );
}
