import { describe, expect, it } from 'vitest';
import { imageDataUrl, viewContent } from './tool-result.js';

describe('viewContent', () => {
  it('keeps HTML in text as text', () => {
    expect(viewContent({ type: 'text', text: '<script>alert(1)</script>' })).toEqual({
      kind: 'text',
      text: '<script>alert(1)</script>',
    });
  });

  it('accepts only base64 image/* data as an image', () => {
    expect(viewContent({ type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' })).toEqual({
      kind: 'image',
      src: 'data:image/png;base64,iVBORw0KGgo=',
      mimeType: 'image/png',
    });
    expect(imageDataUrl('text/html', 'PHNjcmlwdD4=')).toBeNull();
    expect(imageDataUrl('image/png', '"><script>')).toBeNull();
    expect(imageDataUrl('image/png;x=<', 'AAAA')).toBeNull();
    expect(viewContent({ type: 'image', mimeType: 'text/html', data: 'AAAA' }).kind).toBe('json');
  });

  it('shows embedded resources and unknown items', () => {
    expect(viewContent({ type: 'resource', resource: { uri: 'test://a', text: 'hello' } })).toEqual({
      kind: 'resource',
      uri: 'test://a',
      mimeType: undefined,
      text: 'hello',
    });
    expect(viewContent({ type: 'resource_link', uri: 'test://b', name: 'b' })).toMatchObject({
      kind: 'json',
      label: 'resource_link',
    });
  });
});
