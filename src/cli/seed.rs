//! `hotline seed-demo` and `hotline --demo`.
use std::process::ExitCode;

use super::Cli;
use crate::demo::{self, Plan};
use crate::domain::access::Permission;
use crate::error::Error;
use crate::store::{Db, OpenMode, audit, init, settings, stats};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of customers to add
    #[arg(long, default_value_t = 10_000)]
    pub customers: u64,
    /// Number of complaints to add [default: one per 12 customers, at most 3,000]
    #[arg(long)]
    pub complaints: Option<u64>,
    /// Seed: the same seed gives the same data
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

pub fn run(cli: &Cli, a: &Args) -> Result<ExitCode, Error> {
    let mut db = cli.open()?;
    let me = super::whoami_for(&mut db, cli, Permission::SeedDemo)?;
    if !db.read(|c| stats::only_demo_data(c))? {
        return Err(Error::Denied(format!(
            "{} holds data that seed-demo did not make; demo data goes into a new database \
             (`hotline init --db demo.db`, then `hotline seed-demo --db demo.db`)",
            db.path().display()
        )));
    }
    fill(&mut db, a, &me.login)?;
    super::check::summary(&db, &mut super::out::Out::stdout())?;
    Ok(ExitCode::SUCCESS)
}

fn fill(db: &mut Db, a: &Args, by: &str) -> Result<(), Error> {
    let plan = Plan {
        customers: a.customers,
        complaints: a.complaints.unwrap_or((a.customers / 12).min(3000)),
        seed: a.seed,
    };
    let bar = indicatif::ProgressBar::new(plan.customers);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("customers");
    let now = crate::clock::now();
    db.write(|tx| {
        let s = settings::load(tx)?;
        demo::seed(tx, &s, &plan, now, |i| bar.set_position(i))?;
        // Marks the database as demo data up to the last complaint seeded.
        let last: Option<i64> = tx.query_row("SELECT max(id) FROM complaints", [], |r| r.get(0))?;
        let detail = format!("seed {} customers {}", plan.seed, plan.customers);
        let entry = audit::Entry {
            agent_id: None,
            agent_login: by,
            action: "seed_demo",
            entity: "complaint",
            entity_id: last,
            purpose: "",
            detail: &detail,
        };
        audit::append(tx, &entry, now.timestamp())
    })?;
    bar.finish_and_clear();
    Ok(())
}

/// `hotline --demo`: create the demo database on first use, then open it.
pub fn demo(cli: &Cli) -> Result<ExitCode, Error> {
    let path = cli.db.clone().unwrap_or_else(crate::paths::demo_db);
    if !path.exists() {
        super::out::warn(&format!(
            "creating the demo database at {} ...",
            path.display()
        ));
        let mut db = Db::open(&path, OpenMode::Create)?;
        let now = crate::clock::now().timestamp();
        let admin = crate::identity::os_user().login.clone();
        db.write(|tx| init::defaults(tx, "Asia/Shanghai", &admin, now))?;
        let a = Args {
            customers: 10_000,
            complaints: None,
            seed: 42,
        };
        if let Err(e) = fill(&mut db, &a, &admin) {
            drop(db);
            // A half-made demo would be reopened as if whole next time.
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
    }
    crate::ui::run(cli.tui_options(path, Some("demo")))
}
