import { PageHeader } from '../../components/PageHeader.js';

export function TranslateScreen() {
  return <PageHeader title="TranslateScreen" helpNs="translations" />;
}
