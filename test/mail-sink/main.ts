// The mail sink on its own, for `npm run dev` + `npm run worker` with SMTP_URL=smtp://127.0.0.1:2525:
//   node --import tsx test/mail-sink/main.ts [--smtp-port 2525] [--http-port 4400] [--dir .demo/mail]
import { parseArgs } from "node:util";
import { startMailSink } from "./mail-sink";

const { values } = parseArgs({
  options: { "smtp-port": { type: "string", default: "2525" }, "http-port": { type: "string", default: "4400" }, dir: { type: "string", default: ".demo/mail" } },
});
const sink = await startMailSink({ smtpPort: Number(values["smtp-port"]), httpPort: Number(values["http-port"]), dir: values.dir });
console.log(`Mail sink: SMTP on ${sink.smtpUrl}, messages at ${sink.httpUrl}`);
const stop = () => void sink.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
