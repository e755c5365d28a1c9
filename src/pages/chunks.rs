//! The pages behind the sign-in gate as separately loaded wasm chunks.
//!
//! The first load (sign-in page, shell, agent client, crypto) must stay within the bundle
//! budget; each page's code is a chunk of its own that `scripts/postbuild.py` splits out of the
//! release wasm (feature `split`) and that is fetched when the page is first shown, or earlier:
//! [`prefetch_pages`] starts all of them as soon as the user is signed in, so navigating stays
//! instant. A chunk that cannot be fetched (network, proxy) is an error with a retry, never an
//! abort of the whole console. Without the feature (tests, native builds) pages are plain calls.

use crate::i18n::use_i18n;
use crate::nav::Route;
use leptos::prelude::*;

/// A page chunk could not be fetched; the view offers to try again.
#[derive(Debug, Clone, Copy)]
pub struct ChunkUnavailable;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

// A split function is async (its chunk may have to be fetched first); unsplit it is a plain call.
#[cfg(feature = "split")]
macro_rules! load {
    ($call:expr) => {
        $call.await
    };
}
#[cfg(not(feature = "split"))]
macro_rules! load {
    ($call:expr) => {
        $call
    };
}

/// The route as far as choosing the page goes: every tenant shares the tenant page.
pub fn page_of(route: Route) -> Route {
    match route {
        Route::TenantBackup(_) => Route::TenantBackup(String::new()),
        other => other,
    }
}

/// The view of a signed-in route, once its chunk is loaded ("not found" is in the first load).
pub async fn page(route: Route) -> Result<AnyView, ChunkUnavailable> {
    // The texts and the page's code are fetched together (the texts are installed first: the
    // page's view reads them as it is built).
    #[cfg(feature = "split")]
    {
        let page = async {
            match page_of(route.clone()) {
                Route::ClusterBackup | Route::TenantBackup(_) => __preload_backup_page().await,
                Route::Overview => __preload_overview_page().await,
                Route::History(_) => __preload_history_page().await,
                Route::Tasks => __preload_task_list_page().await,
                Route::Task(_) => __preload_task_view_page().await,
                Route::NotFound(_) => Ok(()),
            }
        };
        // A failure shows when the page is called below (it fetches again). The preloads hold
        // the browser's promises (not `Send`); the page's future never leaves this thread.
        let _ = send_wrapper::SendWrapper::new(async { futures::join!(__preload_page_texts(), page) }).await;
    }
    load!(page_texts())?;
    match route {
        Route::ClusterBackup => load!(backup_page(
            obshell_proto::backup::Scope::Cluster,
            Signal::stored(String::new())
        )),
        // One page for every tenant: picking another one keeps the page (and the picker's focus)
        // and follows the address. Leaving the page keeps the last tenant while it goes away.
        Route::TenantBackup(_) => {
            let nav = crate::nav::use_nav();
            let tenant = Memo::new(move |last: Option<&String>| match nav.route.get() {
                Route::TenantBackup(t) => t,
                _ => last.cloned().unwrap_or_default(),
            });
            load!(backup_page(obshell_proto::backup::Scope::Tenant, tenant.into()))
        }
        Route::Overview => load!(overview_page()),
        Route::History(t) => load!(history_page(t)),
        Route::Tasks => load!(task_list_page()),
        Route::Task(id) => load!(task_view_page(id)),
        Route::NotFound(_) => Ok(view! { <NotFound/> }.into_any()),
    }
}

/// How long after sign-in the other pages' chunks start to come. The first page loads its own
/// chunk at once; fetching and compiling all the others beside it (2 cores) held its form back
/// by ~250 ms (measured: its data requests waited for the other chunks' instantiation).
#[cfg(feature = "split")]
const PREFETCH_AFTER_MS: u32 = 1500;

/// Starts fetching every page chunk (after sign-in, once the first page had its turn), so the
/// first navigation does not wait.
pub fn prefetch_pages() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        gloo_timers::future::TimeoutFuture::new(PREFETCH_AFTER_MS).await;
        // A failure here is not shown: the page itself retries and reports when it is opened.
        let _ = __preload_page_texts().await;
        let _ = __preload_backup_page().await;
        let _ = __preload_task_list_page().await;
        let _ = __preload_task_view_page().await;
        let _ = __preload_task_indicator().await;
        let _ = __preload_overview_page().await;
        let _ = __preload_history_page().await;
    });
}

// Each split point below becomes its own chunk; code shared by several chunks goes to a shared
// chunk loaded with either. `fallible`: a failed fetch is an `Err`, not a panic (= abort).
/// The pages' texts (`locales/*.pages.json`): they come with the pages' code, not with the
/// sign-in page (i18n.rs); installed before any page or the task badge is shown.
#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    page_texts, wasm_split_path = ::leptos::wasm_split, fallible,
    preload(#[allow(non_snake_case)] __preload_page_texts)
))]
fn page_texts() -> Result<(), ChunkUnavailable> {
    crate::i18n::install_page_texts(crate::i18n::PAGES_EN, crate::i18n::PAGES_ZH);
    Ok(())
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    backup_page, wasm_split_path = ::leptos::wasm_split, fallible,
    preload(#[allow(non_snake_case)] __preload_backup_page)
))]
fn backup_page(scope: obshell_proto::backup::Scope, tenant: Signal<String>) -> Result<AnyView, ChunkUnavailable> {
    use crate::pages::backup::BackupPage;
    Ok(view! { <BackupPage scope=scope tenant=tenant/> }.into_any())
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    task_list_page, wasm_split_path = ::leptos::wasm_split, fallible,
    preload(#[allow(non_snake_case)] __preload_task_list_page)
))]
fn task_list_page() -> Result<AnyView, ChunkUnavailable> {
    use crate::pages::task_list::TaskListPage;
    Ok(view! { <TaskListPage/> }.into_any())
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    task_view_page, wasm_split_path = ::leptos::wasm_split, fallible,
    preload(#[allow(non_snake_case)] __preload_task_view_page)
))]
fn task_view_page(id: String) -> Result<AnyView, ChunkUnavailable> {
    use crate::pages::task_view::TaskViewPage;
    Ok(view! { <TaskViewPage id=id/> }.into_any())
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    overview_page, wasm_split_path = ::leptos::wasm_split, fallible,
    preload(#[allow(non_snake_case)] __preload_overview_page)
))]
fn overview_page() -> Result<AnyView, ChunkUnavailable> {
    use crate::pages::overview::OverviewPage;
    Ok(view! { <OverviewPage/> }.into_any())
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    history_page, wasm_split_path = ::leptos::wasm_split, fallible,
    preload(#[allow(non_snake_case)] __preload_history_page)
))]
fn history_page(tenant: String) -> Result<AnyView, ChunkUnavailable> {
    use crate::pages::history::HistoryPage;
    Ok(view! { <HistoryPage tenant=tenant/> }.into_any())
}

#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
    task_indicator, wasm_split_path = ::leptos::wasm_split, fallible,
    preload(#[allow(non_snake_case)] __preload_task_indicator)
))]
fn task_indicator() -> Result<AnyView, ChunkUnavailable> {
    use crate::components::task_indicator::TaskIndicator;
    Ok(view! { <TaskIndicator/> }.into_any())
}

/// The header's task badge, shown once signed in. Its code (task lists, polling) comes with the
/// signed-in pages' chunks, not with the sign-in page; without its chunk there is no badge.
#[component]
pub fn LazyTaskIndicator() -> impl IntoView {
    let badge = move || {
        Suspend::new(async move {
            let shown = async {
                load!(page_texts())?;
                load!(task_indicator())
            };
            shown.await.unwrap_or_else(|_: ChunkUnavailable| ().into_any())
        })
    };
    view! { <Suspense fallback=|| ()>{badge}</Suspense> }
}

/// The page (or the chunk error) for `route`, with a loading state while its chunk arrives.
#[component]
pub fn RoutePage(route: Route) -> impl IntoView {
    let i18n = use_i18n();
    // Bumped by "try again": re-runs the load (a failed fetch is not cached).
    let attempt = RwSignal::new(0u32);
    let content = move || {
        attempt.track();
        let route = route.clone();
        Suspend::new(async move {
            match page(route).await {
                Ok(view) => view,
                Err(ChunkUnavailable) => view! {
                    <section class="card error-panel" role="alert">
                        <p>{i18n.t("chunk.unavailable")}</p>
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>{i18n.t("chunk.retry")}</button>
                    </section>
                }
                .into_any(),
            }
        })
    };
    // Transition, not Suspense: the fallback covers the chunk's arrival only; a resource that
    // reloads inside the page later (another tenant's current values) must not swap the whole
    // page out, which would also drop the keyboard focus.
    view! {
        <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t("common.loading")}</p> }>
            {content}
        </Transition>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    use crate::nav::Link;
    let i18n = use_i18n();
    view! { <section class="card"><h1>{i18n.t("page.not_found")}</h1><Link route=Route::Overview>{i18n.t("nav.overview")}</Link></section> }
}
