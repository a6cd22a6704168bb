import { PageHeader } from '../../components/PageHeader.js';

export function EditorScreen() {
  return <PageHeader title="EditorScreen" helpNs="editor" />;
}
