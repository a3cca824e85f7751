import { expect, it } from 'vitest';
import { expandTemplate, templateVariables } from './uri-template.js';

it('lists variables and expands the common forms', () => {
  expect(templateVariables('test://static/resource/{id}')).toEqual(['id']);
  expect(templateVariables('file:///{+path}{?rev,mode}')).toEqual(['path', 'rev', 'mode']);
  expect(expandTemplate('test://static/resource/{id}', { id: '7' })).toBe('test://static/resource/7');
  expect(expandTemplate('x://{name}', { name: 'a b/c' })).toBe('x://a%20b%2Fc');
  expect(expandTemplate('file:///{+path}', { path: 'home/a b' })).toBe('file:///home/a%20b');
  expect(expandTemplate('x://r{?rev,mode}', { rev: '2' })).toBe('x://r?rev=2');
  expect(expandTemplate('x://{/a,b}', { a: '1', b: '2' })).toBe('x:///1/2');
});
