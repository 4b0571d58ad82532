import { PGlite } from "@electric-sql/pglite";
let t=Date.now(); const a=new PGlite(); await a.waitReady; console.log("bare", Date.now()-t);
await a.exec("create table x(a int); insert into x values (1);");
t=Date.now(); const dump=await a.dumpDataDir("gzip"); console.log("dump", Date.now()-t, dump.size);
t=Date.now(); const b=new PGlite({loadDataDir: dump}); await b.waitReady; console.log("load", Date.now()-t, (await b.query("select * from x")).rows);
const d2=await a.dumpDataDir("none"); t=Date.now(); const c=new PGlite({loadDataDir: d2}); await c.waitReady; console.log("load-nogzip", Date.now()-t, d2.size);
