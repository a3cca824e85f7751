/** Saves text as a file through the browser's download (works the same in Electron and the web host). */
export function downloadText(fileName: string, text: string, mime = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started by the time the click returns; give slow hosts a moment before revoking.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
