import 'reflect-metadata';
import { runServiceMain } from '@ap/subgraph';
import { referralService } from './server';

void runServiceMain(referralService);
