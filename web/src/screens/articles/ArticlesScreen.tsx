import { PageHeader } from '../../components/PageHeader.js';

export function ArticlesScreen() {
  return <PageHeader title="ArticlesScreen" helpNs="articles" />;
}
