import { bootstrapService } from '@duban/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
